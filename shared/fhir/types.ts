// The contract between pure mappers and the pipeline around them.
import type { Resource } from '@medplum/fhirtypes';
import type { MedicationMode } from './medication-mode.js';
import type { SourceRowOf } from './registry.js';

/** Every resource type, in dependency order (a type depends only on types before it): the registry's. */
export { RESOURCE_TYPES } from './registry.js';
export type ResourceTypeName = keyof SourceRowOf;

export { DEFAULT_MEDICATION_MODE, type MedicationMode } from './medication-mode.js';
export { parentPlaceholder } from './placeholder-text.js';

export interface MapContext {
  /** The facility's SATUSEHAT organization id: the `{org}` of every sys-ids identifier system. */
  orgId: string;
  /** "Now", passed in so mappers never read the clock. Used to reject future dates. */
  now: Date;
  /** UTC offset of the source's local wall-clock times, e.g. '+07:00' for WIB. */
  sourceUtcOffset: string;
  /** The date floor, MIN_RESOURCE_DATE ('YYYY-MM-DD', 00:00 UTC): earlier date-times are invalid (10132). Default 2022-08-31. */
  minResourceDate?: string;
  /** Medication inside its MedicationRequest or a resource of its own; absent = 'contained'. */
  medicationMode?: MedicationMode;
}

/** A reference to another item that must have a SATUSEHAT id before this one can be sent. */
export interface ParentRef {
  type: ResourceTypeName;
  sourceKey: string;
}

/** What the worker sends. `GET` requests are NIK lookups and carry no body. */
export interface BuiltRequest {
  method: 'GET' | 'POST';
  /** Path relative to the FHIR base, e.g. 'Encounter' or 'Patient?identifier=...'. */
  path: string;
  body: Resource | null;
}

export interface MapIssue {
  /** FHIRPath-like location of the problem, e.g. 'Encounter.period.start'. */
  path: string;
  message: string;
  /** SATUSEHAT RuleNumber when the problem matches a known rule, e.g. '10132'. */
  rule?: string;
}

/** Values for the TUI/CLI detail table, keyed by the registry entry's column keys. */
export type ItemSummary = Record<string, string | null>;

interface MapCommon {
  sourceKey: string;
  /** Local business date 'YYYY-MM-DD' used by the date filter, or null for master data. */
  businessDate: string | null;
  summary: ItemSummary;
}

export type MapResult =
  | (MapCommon & { ok: true; request: BuiltRequest; parents: ParentRef[] })
  | (MapCommon & { ok: false; issues: MapIssue[] });

/** One column of the TUI/CLI detail table; `key` indexes ItemSummary. */
export interface DetailColumn {
  key: string;
  label: string;
  /** Preferred width in terminal cells; the TUI truncates with an ellipsis. */
  width: number;
}

/**
 * One registry entry per resource type (shared/fhir/registry.ts). Adding a type is four files:
 * its row type, its reader, its mapper and this entry (docs/adding-a-resource-type.md).
 */
export interface ResourceTypeDef<Row = unknown> {
  name: ResourceTypeName;
  /** The FHIR resourceType sent, when it differs from the registry name (e.g. 'ObservationLab' → 'Observation', 'ProcedureEducation' → 'Procedure'). */
  fhirType?: string;
  /**
   * 'visit': in transaction-Bundle mode this type travels in its Encounter's Bundle when it
   * descends from that Encounter (directly, or through another member such as a ServiceRequest)
   * and all its other parents are already sent. A 'visit' type with no parents at all (Medication)
   * travels when a member of the Bundle references it and it was not sent yet.
   */
  bundle?: 'visit';
  /** Foundation types can be regenerated from master data (mission point 5). */
  foundation: boolean;
  /** 'lookup' types are found by NIK (GET); 'create' types are POSTed (PUT once they have an id). */
  kind: 'create' | 'lookup';
  columns: DetailColumn[];
  /**
   * One source row may yield several items (a vital-signs row → one Observation per measure);
   * each result then needs its own sourceKey, e.g. `${row.id}:8867-4`.
   */
  map(row: Row, ctx: MapContext): MapResult | MapResult[];
}
