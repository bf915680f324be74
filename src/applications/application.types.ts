/** Parts of an application's finance plan as plain data (money in integer cents). */

export interface CostLine {
  category: string;
  description: string;
  amountCents: number;
}

export interface ThirdPartyFunding {
  source: string;
  amountCents: number;
  status: 'granted' | 'applied';
}
