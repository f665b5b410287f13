// ICD-9-CM volume 3 (procedures), the code system SATUSEHAT uses for Procedure.code. The table
// holds the procedures the demo clinic performs; a well-formed code outside it is accepted with
// the display Dekacare stores.

export const ICD9CM_SYSTEM = 'http://hl7.org/fhir/sid/icd-9-cm';

export type ProcedureKind = 'diagnostic' | 'therapeutic';

export interface Icd9cmEntry {
  code: string;
  display: string;
}

export const ICD9CM_COMMON: readonly Icd9cmEntry[] = [
  { code: '23.01', display: 'Extraction of deciduous tooth' },
  { code: '23.09', display: 'Extraction of other tooth' },
  { code: '23.2', display: 'Restoration of tooth by filling' },
  { code: '38.93', display: 'Venous catheterization, not elsewhere classified' },
  { code: '57.94', display: 'Insertion of indwelling urinary catheter' },
  { code: '69.7', display: 'Insertion of contraceptive device' },
  { code: '73.59', display: 'Other manually assisted delivery' },
  { code: '86.04', display: 'Other incision with drainage of skin and subcutaneous tissue' },
  { code: '86.22', display: 'Excisional debridement of wound, infection, or burn' },
  { code: '86.59', display: 'Closure of skin and subcutaneous tissue of other sites' },
  { code: '88.78', display: 'Diagnostic ultrasound of gravid uterus' },
  { code: '89.26', display: 'Gynecological examination' },
  { code: '89.52', display: 'Electrocardiogram' },
  { code: '93.54', display: 'Application of splint' },
  { code: '93.57', display: 'Application of other wound dressing' },
  { code: '93.94', display: 'Respiratory medication administered by nebulizer' },
  { code: '96.52', display: 'Irrigation of ear' },
  { code: '96.54', display: 'Dental scaling, polishing, and debridement' },
  { code: '99.18', display: 'Injection or infusion of electrolytes' },
  { code: '99.29', display: 'Injection or infusion of other therapeutic or prophylactic substance' },
  { code: '99.55', display: 'Prophylactic administration of vaccine against other diseases' },
];

export const ICD9CM_BY_CODE: ReadonlyMap<string, Icd9cmEntry> = new Map(ICD9CM_COMMON.map((e) => [e.code, e]));

// Two digits, optionally a dot with one or two digits ('23.2', '89.52').
const ICD9CM_RE = /^\d{2}(\.\d{1,2})?$/;

export type Icd9cmCheck = { ok: true; code: string; display: string | null; kind: ProcedureKind } | { ok: false; reason: string };

/**
 * ICD-9-CM chapter 16 splits 87–92 (diagnostic radiology, examinations, microscopy, nuclear
 * medicine) from the therapeutic rest; operations (01–86) are therapeutic too.
 */
export function procedureKind(code: string): ProcedureKind {
  const category = Number(code.slice(0, 2));
  return category >= 87 && category <= 92 ? 'diagnostic' : 'therapeutic';
}

/** Normalises ('8952' → '89.52') and checks one ICD-9-CM procedure code from the source. */
export function checkIcd9cm(raw: string | null | undefined): Icd9cmCheck {
  const text = (raw ?? '').trim();
  if (text === '') return { ok: false, reason: 'is empty' };
  const code = /^\d{3,4}$/.test(text) ? `${text.slice(0, 2)}.${text.slice(2)}` : text;
  if (!ICD9CM_RE.test(code)) return { ok: false, reason: 'is not an ICD-9-CM procedure code (two digits and optionally a dot and one or two digits, e.g. 89.52)' };
  return { ok: true, code, display: ICD9CM_BY_CODE.get(code)?.display ?? null, kind: procedureKind(code) };
}
