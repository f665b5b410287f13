// OperationOutcome in SATUSEHAT's shape: the RuleNumber lives inside details.text (A9).

export type IssueCode =
  | 'value'
  | 'duplicate'
  | 'format'
  | 'required'
  | 'not-found'
  | 'structure'
  | 'login'
  | 'throttled'
  | 'not-supported'
  | 'forbidden'
  | 'exception'
  | 'too-long'
  | 'invalid'
  | 'informational';

export interface Issue {
  severity: string;
  code: IssueCode;
  details: { text: string };
  expression?: string[];
}

export interface OperationOutcome {
  resourceType: 'OperationOutcome';
  text: { status: 'generated' };
  issue: Issue[];
}

/** `message (RuleNumber: NNNNN)`, or just the message when no honest rule number is known. */
export function withRule(message: string, rule?: string): string {
  return rule ? `${message} (RuleNumber: ${rule})` : message;
}

export function issue(code: IssueCode, text: string, expression?: string): Issue {
  const out: Issue = { severity: 'error', code, details: { text } };
  if (expression) out.expression = [expression];
  return out;
}

export function outcome(issues: Issue[]): OperationOutcome {
  return { resourceType: 'OperationOutcome', text: { status: 'generated' }, issue: issues };
}

/** Prefixes every expression, e.g. for Bundle entries: `Bundle.entry[2].resource.`. */
export function prefixIssues(issues: Issue[], prefix: string): Issue[] {
  return issues.map((i) => (i.expression ? { ...i, expression: i.expression.map((e) => prefix + e) } : i));
}

export const notFound = (type: string, id: string): Issue => issue('not-found', withRule(`Resource not found ${type}/${id}`, '20007'));

export const duplicate = (type: string, expression?: string): Issue => issue('duplicate', withRule(`Found duplicate resource: ${type}`, '20002'), expression);

export const mandatoryRef = (path: string, rule?: string): Issue => issue('required', withRule(`Reference is mandatory : ${path}`, rule), path);

export const refNotFound = (path: string, ref: string, rule?: string): Issue => issue('not-found', withRule(`Reference not found : ${path} : ${ref}`, rule), path);

export const elementMissing = (path: string, rule?: string): Issue => issue('required', withRule(`Element not found: ${path}`, rule), path);
