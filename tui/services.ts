// What the TUI needs from the application services (shared/services/api.ts). The TUI takes
// this narrow interface, so tests inject a fake and the real `openServices(config)` fits it.
import type {
  ControlState,
  ItemDetail,
  ItemListQuery,
  ItemPage,
  LoginResult,
  Operator,
  ResendResult,
  SaveRevisionResult,
  TypeStatus,
} from '../shared/services/api.js';

export type { ControlState, ItemDetail, ItemListQuery, ItemPage, LoginResult, Operator, ResendResult, SaveRevisionResult, TypeStatus };

export interface ResendMatchingResult extends Partial<ResendResult> {
  /** How many items match (the dry run's answer). */
  matched: number;
}

export interface TuiServices {
  login(username: string, password: string): Promise<LoginResult>;
  status(date?: string): Promise<TypeStatus[]>;
  control(): Promise<ControlState>;
  listItems(query: ItemListQuery): Promise<ItemPage>;
  showItem(id: number): Promise<ItemDetail | null>;
  /** `body` is the edited JSON text, so errors can point at a line and column. */
  saveRevision(id: number, body: string, operator: Operator): Promise<SaveRevisionResult>;
  resend(ids: number[], operator: Operator): Promise<ResendResult>;
  resendMatching(query: ItemListQuery, operator: Operator, options: { dryRun: boolean }): Promise<ResendMatchingResult>;
  regenerate(type: string, operator: Operator): Promise<unknown>;
}
