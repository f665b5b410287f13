// The demo clinic: "Klinik Utama Sentosa Medika" in Jakarta Selatan, its units (sent as
// sub-Organizations) and rooms (sent as Locations). Ids are the 1-based positions in these lists.

export type UnitCode = 'UMUM' | 'GIGI' | 'ANAK' | 'INTERNA' | 'KIA' | 'IGD' | 'RANAP' | 'LAB' | 'FARMASI';

export interface DemoUnit {
  id: number;
  code: UnitCode;
  name: string;
  phone: string | null;
  email: string | null;
  address: string | null;
  city: string | null;
  postalCode: string | null;
  /** Relative share of all visits; 0 for support units that have no visits of their own. */
  visitWeight: number;
  encounterClass: 'AMB' | 'EMER' | 'IMP';
}

export interface DemoRoom {
  id: number;
  code: string;
  name: string;
  description: string | null;
  unitCode: UnitCode;
  floor: number;
  /** Relative share of its unit's visits; 0 where patients are not seen (storage, sampling). */
  visitWeight: number;
  /** `rooms.service_class`: the Playbook's class of care (reguler/eksekutif, or 1/2/3/vip for wards). */
  serviceClass: string | null;
}

export const CLINIC = {
  name: 'Klinik Utama Sentosa Medika',
  address: 'Jl. RS Fatmawati Raya No. 45, Cilandak',
  city: 'Kota Jakarta Selatan',
  postalCode: '12430',
  phone: '021-7504512',
  emailDomain: 'sentosamedika.example',
} as const;

const unit = (id: number, code: UnitCode, name: string, ext: string | null, email: string | null, visitWeight: number, encounterClass: DemoUnit['encounterClass'] = 'AMB'): DemoUnit => ({
  id,
  code,
  name,
  phone: ext === null ? null : `${CLINIC.phone} ext. ${ext}`,
  email: email === null ? null : `${email}@${CLINIC.emailDomain}`,
  address: CLINIC.address,
  city: CLINIC.city,
  postalCode: CLINIC.postalCode,
  visitWeight,
  encounterClass,
});

// Some contact details are missing on purpose: real master data is never complete.
export const DEMO_UNITS: readonly DemoUnit[] = [
  unit(1, 'UMUM', 'Poli Umum', '101', 'poli.umum', 33),
  unit(2, 'GIGI', 'Poli Gigi', '102', 'poli.gigi', 10),
  unit(3, 'ANAK', 'Poli Anak', '103', 'poli.anak', 15),
  unit(4, 'INTERNA', 'Poli Penyakit Dalam', '104', 'poli.interna', 15),
  unit(5, 'KIA', 'Poli Kandungan (KIA)', '105', 'poli.kia', 12),
  unit(6, 'IGD', 'Instalasi Gawat Darurat (IGD)', '119', null, 13, 'EMER'),
  unit(7, 'RANAP', 'Rawat Inap', '201', 'ranap', 2, 'IMP'),
  unit(8, 'LAB', 'Laboratorium', '301', 'lab', 0),
  unit(9, 'FARMASI', 'Farmasi', null, 'farmasi', 0),
];

/** Wards have their class; every other room where patients are seen is 'reguler' unless given. */
const WARD_CLASS: Readonly<Record<string, string>> = { 'RANAP-01': '3', 'RANAP-02': '2', 'RANAP-03': 'vip', 'INT-02': 'eksekutif' };
const room = (id: number, code: string, name: string, description: string | null, unitCode: UnitCode, floor: number, visitWeight = 1): DemoRoom => ({
  id, code, name, description, unitCode, floor, visitWeight, serviceClass: WARD_CLASS[code] ?? (visitWeight > 0 ? 'reguler' : null),
});

export const DEMO_ROOMS: readonly DemoRoom[] = [
  room(1, 'UMUM-01', 'Ruang Periksa Umum 1', 'Ruang periksa dokter umum, lantai 1', 'UMUM', 1),
  room(2, 'UMUM-02', 'Ruang Periksa Umum 2', 'Ruang periksa dokter umum, lantai 1', 'UMUM', 1),
  room(3, 'UMUM-03', 'Ruang Periksa Umum 3', null, 'UMUM', 1),
  room(4, 'GIGI-01', 'Ruang Periksa Gigi 1', 'Dental unit 1, lantai 2', 'GIGI', 2),
  room(5, 'GIGI-02', 'Ruang Periksa Gigi 2', 'Dental unit 2, lantai 2', 'GIGI', 2),
  room(6, 'ANAK-01', 'Ruang Periksa Anak', 'Ruang periksa dan imunisasi anak, lantai 1', 'ANAK', 1, 4),
  room(7, 'ANAK-02', 'Ruang Laktasi', 'Ruang menyusui dan konseling laktasi', 'ANAK', 1, 1),
  room(8, 'INT-01', 'Ruang Periksa Penyakit Dalam 1', 'Lantai 2', 'INTERNA', 2),
  room(9, 'INT-02', 'Ruang Periksa Penyakit Dalam 2', 'Lantai 2, poli eksekutif', 'INTERNA', 2),
  room(10, 'KIA-01', 'Ruang Periksa Kandungan', 'Pemeriksaan kehamilan (ANC) dan KB', 'KIA', 1, 6),
  room(11, 'KIA-02', 'Ruang USG', 'USG kebidanan', 'KIA', 1, 3),
  room(12, 'KIA-03', 'Ruang Bersalin', 'Kamar bersalin, 2 tempat tidur', 'KIA', 1),
  room(13, 'IGD-01', 'Ruang Triase IGD', 'Triase dan pendaftaran IGD', 'IGD', 1, 2),
  room(14, 'IGD-02', 'Ruang Tindakan IGD', 'Tindakan dan resusitasi', 'IGD', 1, 3),
  room(15, 'IGD-03', 'Ruang Observasi IGD', 'Observasi, 4 tempat tidur', 'IGD', 1),
  room(16, 'RANAP-01', 'Kamar Melati', 'Kelas III, 4 tempat tidur', 'RANAP', 3),
  room(17, 'RANAP-02', 'Kamar Mawar', 'Kelas II, 2 tempat tidur', 'RANAP', 3),
  room(18, 'RANAP-03', 'Kamar Anggrek (VIP)', 'VIP, 1 tempat tidur', 'RANAP', 3),
  room(19, 'LAB-01', 'Ruang Sampling', 'Pengambilan sampel darah dan urin', 'LAB', 1, 0),
  room(20, 'LAB-02', 'Ruang Laboratorium', null, 'LAB', 1, 0),
  room(21, 'FAR-01', 'Ruang Farmasi', 'Apotek dan penyerahan obat', 'FARMASI', 1, 0),
  room(22, 'FAR-02', 'Gudang Obat', 'Gudang farmasi, lantai 3', 'FARMASI', 3, 0),
];

export function unitByCode(code: UnitCode): DemoUnit {
  const found = DEMO_UNITS.find((u) => u.code === code);
  if (!found) throw new Error(`unknown demo unit ${code}`);
  return found;
}

/** Rooms where a unit's visits take place, with their weights. */
export const VISIT_ROOMS_BY_UNIT: ReadonlyMap<UnitCode, { rooms: readonly DemoRoom[]; weights: readonly number[] }> = new Map(
  DEMO_UNITS.map((u) => {
    const rooms = DEMO_ROOMS.filter((r) => r.unitCode === u.code && r.visitWeight > 0);
    return [u.code, { rooms, weights: rooms.map((r) => r.visitWeight) }] as const;
  }),
);
