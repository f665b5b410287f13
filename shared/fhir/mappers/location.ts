// Dekacare room → SATUSEHAT Location managed by its unit's sub-Organization, POSTed once.
// Shape per the SATUSEHAT IG Location create payload; mandatory: status, name, physicalType.
import type { Location } from '@medplum/fhirtypes';
import { sysIdSystem } from '../identifiers.js';
import { parentPlaceholder } from '../placeholder-text.js';
import type { MapContext, MapIssue, MapResult } from '../types.js';
import type { RoomRow } from '../../types/source-rows.js';
import { clean, contextIssues, invalid, ok } from './common.js';

export const LOCATION_PHYSICAL_TYPE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/location-physical-type';

export function mapLocation(row: RoomRow, ctx: MapContext): MapResult {
  const code = clean(row.code);
  const name = clean(row.name);
  const description = clean(row.description);
  const unitName = clean(row.unitName);
  const hasUnit = row.unitId !== null && row.unitId !== undefined;
  const common = { sourceKey: String(row.id), businessDate: null, summary: { code, name, unit: unitName } };

  const label = `Room ${code ?? (name !== null ? `'${name}' (id ${row.id})` : `id ${row.id}`)}`;
  const issues: MapIssue[] = contextIssues(ctx, 'Location');
  if (code === null) {
    issues.push({ path: 'Location.identifier[0].value', message: `${label} has no code: the code is the identifier (${sysIdSystem('location', ctx.orgId)}) that finds this room again in SATUSEHAT. Fill in the room code in Dekacare` });
  }
  if (name === null) {
    issues.push({ path: 'Location.name', message: `${label} has no name, and SATUSEHAT requires Location.name. Fill in the room name in Dekacare` });
  }
  if (!hasUnit) {
    issues.push({ path: 'Location.managingOrganization', message: `${label} belongs to no unit: a Location must be managed by its unit's Organization. Assign the room to a unit in Dekacare` });
  }
  if (issues.length > 0 || code === null || name === null) return invalid(common, issues);

  const unitKey = String(row.unitId);
  const body: Location = {
    resourceType: 'Location',
    identifier: [{ system: sysIdSystem('location', ctx.orgId), value: code }],
    status: 'active',
    name,
    ...(description !== null && { description }),
    mode: 'instance',
    physicalType: { coding: [{ system: LOCATION_PHYSICAL_TYPE_SYSTEM, code: 'ro', display: 'Room' }] },
    managingOrganization: {
      reference: `Organization/${parentPlaceholder('Organization', unitKey)}`,
      ...(unitName !== null && { display: unitName }),
    },
  };
  return ok(common, { method: 'POST', path: 'Location', body }, [{ type: 'Organization', sourceKey: unitKey }]);
}
