// The worklists (`satusehat worklist <kind>`): kept free of imports so the CLI's argument parser can use it.
export const WORKLIST_KINDS = ['patients', 'practitioners', 'drugs', 'lab', 'locations'] as const;
export type WorklistKind = (typeof WORKLIST_KINDS)[number];
