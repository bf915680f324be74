/** The 28 districts (Stadtteile) of the City of Neuss. */
export const NEUSS_DISTRICTS = [
  'Allerheiligen', 'Augustinusviertel', 'Barbaraviertel', 'Derikum', 'Dreikönigenviertel', 'Erfttal',
  'Furth-Mitte', 'Furth-Nord', 'Furth-Süd', 'Gnadental', 'Grefrath', 'Grimlinghausen', 'Hafengebiet',
  'Hammfeld', 'Hoisten', 'Holzheim', 'Innenstadt', 'Norf', 'Pomona', 'Reuschenberg', 'Rosellen',
  'Selikum', 'Speck/Wehl/Helpenstein', 'Stadionviertel', 'Uedesheim', 'Vogelsang', 'Weckhoven',
  'Weißenberg',
] as const;

/** Legal forms of applicant organisations; their names are in templates/i18n (legalForm.*). */
export const LEGAL_FORM_KEYS = ['ev', 'nev', 'ggmbh', 'gug', 'stiftung', 'kdoer', 'gbr', 'other'] as const;
export type LegalForm = (typeof LEGAL_FORM_KEYS)[number];

/** Legal forms entered in a register (Vereins- oder Handelsregister): court and number are required. */
export const REGISTERED_LEGAL_FORMS: LegalForm[] = ['ev', 'ggmbh', 'gug'];
