// Where demo people live. Province and city codes are the real Kemendagri codes that open every
// NIK (e.g. 3171 = Kota Jakarta Selatan); the district part is 01..N, N being the city's real
// number of kecamatan. The clinic is in Jakarta Selatan, so the weights favour it and its
// neighbours.
import type { Rng } from './prng.js';

export interface DemoCity {
  /** 4-digit Kemendagri province + city code. */
  code: string;
  name: string;
  province: string;
  /** How the city is written as a place of birth on a KTP. */
  birthPlace: string;
  /** First two digits of its postal codes. */
  postalPrefix: string;
  districts: number;
  /** Share of the clinic's patients who live there (relative). */
  weight: number;
}

export const DEMO_CITIES: readonly DemoCity[] = [
  { code: '3171', name: 'Kota Jakarta Selatan', province: 'DKI Jakarta', birthPlace: 'Jakarta', postalPrefix: '12', districts: 10, weight: 30 },
  { code: '3172', name: 'Kota Jakarta Timur', province: 'DKI Jakarta', birthPlace: 'Jakarta', postalPrefix: '13', districts: 10, weight: 10 },
  { code: '3174', name: 'Kota Jakarta Barat', province: 'DKI Jakarta', birthPlace: 'Jakarta', postalPrefix: '11', districts: 8, weight: 5 },
  { code: '3173', name: 'Kota Jakarta Pusat', province: 'DKI Jakarta', birthPlace: 'Jakarta', postalPrefix: '10', districts: 8, weight: 4 },
  { code: '3175', name: 'Kota Jakarta Utara', province: 'DKI Jakarta', birthPlace: 'Jakarta', postalPrefix: '14', districts: 6, weight: 2 },
  { code: '3276', name: 'Kota Depok', province: 'Jawa Barat', birthPlace: 'Depok', postalPrefix: '16', districts: 11, weight: 10 },
  { code: '3674', name: 'Kota Tangerang Selatan', province: 'Banten', birthPlace: 'Tangerang', postalPrefix: '15', districts: 7, weight: 9 },
  { code: '3275', name: 'Kota Bekasi', province: 'Jawa Barat', birthPlace: 'Bekasi', postalPrefix: '17', districts: 12, weight: 4 },
  { code: '3271', name: 'Kota Bogor', province: 'Jawa Barat', birthPlace: 'Bogor', postalPrefix: '16', districts: 6, weight: 3 },
  { code: '3201', name: 'Kabupaten Bogor', province: 'Jawa Barat', birthPlace: 'Bogor', postalPrefix: '16', districts: 40, weight: 3 },
  { code: '3273', name: 'Kota Bandung', province: 'Jawa Barat', birthPlace: 'Bandung', postalPrefix: '40', districts: 30, weight: 3 },
  { code: '3374', name: 'Kota Semarang', province: 'Jawa Tengah', birthPlace: 'Semarang', postalPrefix: '50', districts: 16, weight: 2 },
  { code: '3471', name: 'Kota Yogyakarta', province: 'DI Yogyakarta', birthPlace: 'Yogyakarta', postalPrefix: '55', districts: 14, weight: 2 },
  { code: '3578', name: 'Kota Surabaya', province: 'Jawa Timur', birthPlace: 'Surabaya', postalPrefix: '60', districts: 31, weight: 2 },
  { code: '3573', name: 'Kota Malang', province: 'Jawa Timur', birthPlace: 'Malang', postalPrefix: '65', districts: 5, weight: 1 },
  { code: '1271', name: 'Kota Medan', province: 'Sumatera Utara', birthPlace: 'Medan', postalPrefix: '20', districts: 21, weight: 2 },
  { code: '1371', name: 'Kota Padang', province: 'Sumatera Barat', birthPlace: 'Padang', postalPrefix: '25', districts: 11, weight: 1 },
  { code: '1671', name: 'Kota Palembang', province: 'Sumatera Selatan', birthPlace: 'Palembang', postalPrefix: '30', districts: 18, weight: 1 },
  { code: '1871', name: 'Kota Bandar Lampung', province: 'Lampung', birthPlace: 'Bandar Lampung', postalPrefix: '35', districts: 20, weight: 1 },
  { code: '5171', name: 'Kota Denpasar', province: 'Bali', birthPlace: 'Denpasar', postalPrefix: '80', districts: 4, weight: 1 },
  { code: '7371', name: 'Kota Makassar', province: 'Sulawesi Selatan', birthPlace: 'Makassar', postalPrefix: '90', districts: 15, weight: 1 },
  { code: '6471', name: 'Kota Balikpapan', province: 'Kalimantan Timur', birthPlace: 'Balikpapan', postalPrefix: '76', districts: 6, weight: 1 },
  { code: '7171', name: 'Kota Manado', province: 'Sulawesi Utara', birthPlace: 'Manado', postalPrefix: '95', districts: 11, weight: 1 },
];

export const DEMO_STREETS: readonly string[] = [
  'Jl. Melati', 'Jl. Kenanga', 'Jl. Mawar', 'Jl. Anggrek', 'Jl. Flamboyan', 'Jl. Cempaka', 'Jl. Dahlia', 'Jl. Kamboja',
  'Jl. Merdeka', 'Jl. Pemuda', 'Jl. Pahlawan', 'Jl. Diponegoro', 'Jl. Jend. Sudirman', 'Jl. Ahmad Yani', 'Jl. Gatot Subroto',
  'Jl. Imam Bonjol', 'Jl. Hasanuddin', 'Jl. Teuku Umar', 'Jl. Cut Nyak Dien', 'Jl. R.A. Kartini', 'Jl. Dewi Sartika',
  'Jl. Ki Hajar Dewantara', 'Jl. Gajah Mada', 'Jl. Hayam Wuruk', 'Jl. Pattimura', 'Jl. Veteran', 'Jl. Raya Bogor',
  'Jl. Kebon Jeruk', 'Jl. Masjid', 'Jl. Swadaya', 'Jl. Nusantara', 'Jl. Cendrawasih', 'Jl. Rajawali', 'Jl. Kutilang',
  'Jl. Perintis Kemerdekaan', 'Jl. Bhayangkara', 'Jl. Kelapa Dua', 'Jl. H. Naman', 'Gg. Mushola', 'Gg. Haji Sa\'aba',
];

/** A NIK region slot: one 6-digit province+city+district code. */
export interface RegionSlot {
  city: DemoCity;
  regionCode: string;
  /** How many earlier slots carry the same regionCode; keeps NIK serials unique (see nik.ts). */
  occurrence: number;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

// The weights, spread over each city's districts in turn. Person i lives in slot i mod length,
// which keeps the weights and lets nik.ts derive a serial that no one else in the slot has.
function buildSlots(): { slots: RegionSlot[]; maxOccurrence: number } {
  const slots: RegionSlot[] = [];
  const seen = new Map<string, number>();
  let maxOccurrence = 0;
  // Interleave cities so consecutive people do not all live in the same place.
  const remaining = DEMO_CITIES.map((city) => ({ city, left: city.weight * 3, next: 0 }));
  while (remaining.some((r) => r.left > 0)) {
    for (const r of remaining) {
      if (r.left === 0) continue;
      r.left -= 1;
      const regionCode = `${r.city.code}${pad2((r.next % r.city.districts) + 1)}`;
      r.next += 1;
      const occurrence = seen.get(regionCode) ?? 0;
      seen.set(regionCode, occurrence + 1);
      maxOccurrence = Math.max(maxOccurrence, occurrence + 1);
      slots.push({ city: r.city, regionCode, occurrence });
    }
  }
  return { slots, maxOccurrence };
}

const built = buildSlots();
export const REGION_SLOTS: readonly RegionSlot[] = built.slots;
/** Largest number of slots sharing one region code. */
export const REGION_SLOT_MAX_OCCURRENCE = built.maxOccurrence;

export function regionSlotFor(index: number): RegionSlot {
  return REGION_SLOTS[index % REGION_SLOTS.length] as RegionSlot;
}

/** 'Jl. Melati No. 12, RT 003/RW 005' */
export function makeStreetAddress(rng: Rng): string {
  const rt = String(rng.int(1, 15)).padStart(3, '0');
  const rw = String(rng.int(1, 12)).padStart(3, '0');
  return `${rng.pick(DEMO_STREETS)} No. ${rng.int(1, 150)}, RT ${rt}/RW ${rw}`;
}

/** Indonesian mobile number as people write it: 08xx-xxxx-xxxx. */
export function makeMobilePhone(rng: Rng): string {
  const operator = rng.pick(['11', '12', '13', '21', '22', '52', '53', '57', '58', '77', '78', '81', '82', '83', '95', '96']);
  return `08${operator}${rng.digits(rng.chance(0.7) ? 8 : 7)}`;
}
