import { addDays, addMonths, assertCalendarDay, nextWorkingDayFrom } from './calendar-days.js';

/**
 * Default days after sending on which a letter counts as notified: § 41 Abs. 2 S. 1 VwVfG (Bund) as
 * amended by the Postrechtsmodernisierungsgesetz (PostModG) of 15 July 2024, BGBl. 2024 I Nr. 236,
 * in force since 1 January 2025 ("am vierten Tag nach der Aufgabe zur Post"; S. 2 likewise for an
 * electronic transmission after its sending). Where § 41 Abs. 2 VwVfG NRW has not yet followed and
 * still says "am dritten Tag", the setting is 3: the city applies the state's VwVfG.
 */
export const DEFAULT_NOTIFICATION_DAYS = 4;

export interface DecisionDatesInput {
  /** Berlin calendar day (YYYY-MM-DD) the decision letter was posted or sent electronically. */
  sentOn: string;
  /** Days after sending that the notification fiction counts (setting, default 4). */
  notificationDays: number;
  /** Day the grantee waived the legal remedy (Rechtsbehelfsverzicht) in the portal, if at all. */
  waivedOn?: string | null;
}

export interface DecisionDates {
  /** Day of notification (Bekanntgabe) by the statutory fiction. */
  notifiedOn: string;
  /** Last day of the one-month period for an action at the administrative court. */
  remedyPeriodEndsOn: string;
  /** First day on which the decision is final (bestandskräftig). */
  finalOn: string;
}

/**
 * The dates that follow from sending a decision (award or rejection) by ordinary mail or
 * electronically. All days are calendar days (YYYY-MM-DD); invalid input throws a RangeError.
 *
 * Notification (Bekanntgabe), `notifiedOn`: sentOn + notificationDays calendar days, § 41 Abs. 2
 * S. 1 VwVfG / VwVfG NRW (see DEFAULT_NOTIFICATION_DAYS). The day of sending is not counted
 * (§ 31 Abs. 1 VwVfG, § 187 Abs. 1 BGB). The notification day is NOT moved off a Saturday, Sunday or
 * public holiday: § 31 Abs. 3 VwVfG moves only the end of a period, and the fiction fixes a day, not a
 * period (OVG Lüneburg, Beschluss vom 26.10.2006 – 7 PA 184/06, with Kopp/Ramsauer, VwVfG, § 31;
 * the prevailing view for § 41 VwVfG). This is contested: the BFH moved the fiction day for
 * § 122 Abs. 2 AO by § 108 Abs. 3 AO (Urteil vom 14.10.2003 – IX R 68/98), and the AO keeps that
 * rule since the PostModG. Not moving gives the earlier notification day. The fiction does not apply
 * when the letter arrived later or not at all (§ 41 Abs. 2 S. 3 VwVfG); such a case is entered by the
 * office, not computed here.
 *
 * Period for an action, `remedyPeriodEndsOn`: one month after notification (§ 74 Abs. 1 S. 2 VwGO;
 * NRW has largely abolished the objection procedure, § 110 JustG NRW, so the action at the
 * Verwaltungsgericht is the remedy). Computed by § 57 Abs. 2 VwGO, § 222 Abs. 1 ZPO and §§ 187 Abs. 1,
 * 188 Abs. 2 and 3 BGB: the notification day is not counted, the period ends on the day of the next
 * month with the same number as the notification day, or on that month's last day when it has no such
 * day. An end on a Saturday, Sunday or general public holiday moves to the next working day
 * (§ 222 Abs. 2 ZPO via § 57 Abs. 2 VwGO); the holidays are those of North Rhine-Westphalia, where the
 * Verwaltungsgericht Düsseldorf sits (see isWorkingDay). This assumes a correct notice of legal
 * remedy; without one the period is a year (§ 58 Abs. 2 VwGO), which this function does not cover.
 *
 * Finality (Bestandskraft), `finalOn`: the period runs until the end of its last day, so the decision
 * is final from the following day. When the grantee waived the remedy (Rechtsbehelfsverzicht) no later
 * than the period's last day, it is final on the day of the waiver; a waiver before the notification
 * day takes effect on the notification day, because a decision is effective only once notified
 * (§ 43 Abs. 1 VwVfG) and cannot become final earlier. A waiver after the period's end changes nothing.
 */
export function decisionDates(input: DecisionDatesInput): DecisionDates {
  const { sentOn, notificationDays, waivedOn } = input;
  assertCalendarDay(sentOn);
  if (!Number.isInteger(notificationDays) || notificationDays < 1) {
    throw new RangeError(`notificationDays must be a positive whole number, not ${String(notificationDays)}`);
  }

  const notifiedOn = addDays(sentOn, notificationDays);
  const remedyPeriodEndsOn = nextWorkingDayFrom(addMonths(notifiedOn, 1));
  let finalOn = addDays(remedyPeriodEndsOn, 1);

  if (waivedOn != null) {
    assertCalendarDay(waivedOn);
    if (waivedOn < sentOn) throw new RangeError(`A waiver (${waivedOn}) cannot precede the sending of the decision (${sentOn})`);
    // YYYY-MM-DD strings compare in calendar order.
    if (waivedOn <= remedyPeriodEndsOn) finalOn = waivedOn < notifiedOn ? notifiedOn : waivedOn;
  }

  return { notifiedOn, remedyPeriodEndsOn, finalOn };
}
