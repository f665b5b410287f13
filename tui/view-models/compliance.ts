// The dashboard's compliance line (SE HK.02.01/MENKES/1030/2023): the share of visits sent, the
// selected day and the week to it, with when it was read. Pure.
import type { ComplianceReport } from '../../shared/services/api.js';
import type { Tone } from './badges.js';
import { pickFitting } from './cards.js';
import { shortTime } from './text.js';

export interface ComplianceLine {
  text: string;
  tone: Tone | undefined;
}

const pct = (p: number) => `${p.toFixed(1)}%`;

export function complianceLine(report: ComplianceReport | null, readAt: Date | null, now: Date, width: number): ComplianceLine {
  if (!report) return { text: 'Visits sent to SATUSEHAT: …', tone: undefined };
  const day = report.days[report.days.length - 1];
  const week = report.total;
  const age = readAt ? ` · as of ${shortTime(readAt.toISOString(), now)}` : '';
  const dayText = day ? `${day.date === report.to ? day.date : report.to}: ${pct(day.sharePercent)} (${day.encounterSent}/${day.visits}), complete ${pct(day.completePercent)}` : `${report.to}: no visits`;
  const weekText = `${report.days.length} days ${pct(week.sharePercent)} (${week.encounterSent}/${week.visits}), complete ${pct(week.completePercent)}`;
  const waiting = report.unsentTotal > 0 ? ` · ${report.unsentTotal} visits wait (satusehat compliance)` : '';
  const text = pickFitting([
    `Visits sent to SATUSEHAT (target ${report.targetPercent}%) · ${dayText} · ${weekText}${waiting}${age}`,
    `Visits sent · ${dayText} · ${weekText}${age}`,
    `Sent ${dayText} · week ${pct(week.sharePercent)}${age}`,
    `Sent ${day ? pct(day.sharePercent) : '–'} · week ${pct(week.sharePercent)}`,
  ], width);
  const worst = Math.min(week.completePercent, day?.completePercent ?? 100);
  return { text, tone: worst >= 100 ? 'green' : week.sharePercent >= 90 ? 'yellow' : 'red' };
}
