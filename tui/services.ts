// What the TUI needs from the application services (shared/services/api.ts): a narrow slice of
// `Services`, so tests inject a fake object and the real `openServices(config)` fits as is.
import type { Services } from '../shared/services/api.js';

export type {
  ComplianceReport,
  ControlState,
  ItemDetail,
  ItemListQuery,
  ItemPage,
  ItemRow,
  LoginResult,
  Operator,
  ResendMatchingResult,
  ResendResult,
  SaveRevisionResult,
  TypeStatus,
} from '../shared/services/api.js';

export type TuiServices = Pick<Services, 'login' | 'status' | 'control' | 'listItems' | 'showItem' | 'saveRevision' | 'resend' | 'resendMatching' | 'regenerate' | 'pause' | 'resume' | 'compliance'>;
