// Indonesian personal names. Many Indonesians have no family name; common shapes are a single name
// (Sutrisno), given + second name (Budi Santoso, Siti Rahmawati), or given + marga (Rina Siregar).
import type { Gender } from '../types/source-rows.js';
import type { Rng } from './prng.js';

export const MALE_GIVEN_NAMES: readonly string[] = [
  'Budi', 'Agus', 'Ahmad', 'Muhammad', 'Andi', 'Bambang', 'Dedi', 'Eko', 'Fajar', 'Hendra', 'Iwan', 'Joko', 'Rudi',
  'Slamet', 'Wahyu', 'Yusuf', 'Rizki', 'Arif', 'Dimas', 'Bayu', 'Adi', 'Hadi', 'Gilang', 'Reza', 'Fikri', 'Rahmat',
  'Taufik', 'Imam', 'Teguh', 'Ilham', 'Nanda', 'Putu', 'Made', 'Wayan', 'Yohanes', 'Samuel', 'Daniel', 'Stefanus',
  'Aditya', 'Farhan', 'Galih', 'Haris', 'Irfan', 'Lukman', 'Mulyadi', 'Yoga', 'Rangga', 'Fauzan', 'Hafiz', 'Dani',
];

export const FEMALE_GIVEN_NAMES: readonly string[] = [
  'Siti', 'Dewi', 'Sri', 'Ani', 'Rina', 'Nur', 'Wulan', 'Ayu', 'Putri', 'Indah', 'Fitri', 'Ratna', 'Yuni', 'Endang',
  'Kartika', 'Maya', 'Nadia', 'Anisa', 'Aisyah', 'Intan', 'Diah', 'Novi', 'Rahma', 'Mega', 'Citra', 'Eka', 'Tri',
  'Yulia', 'Melati', 'Fransiska', 'Maria', 'Theresia', 'Ni Luh', 'Kadek', 'Nurul', 'Dian', 'Lia', 'Rini', 'Sari',
  'Tuti', 'Umi', 'Vina', 'Winda', 'Zahra', 'Salsabila', 'Nabila', 'Laila', 'Hana', 'Retno', 'Ika',
];

/** Single-name people, mostly Javanese. */
const MALE_SINGLE_NAMES: readonly string[] = ['Sutrisno', 'Suparman', 'Sugiono', 'Sumarno', 'Paijo', 'Wagimin', 'Darmaji', 'Sukirman', 'Tukiman', 'Suyanto'];
const FEMALE_SINGLE_NAMES: readonly string[] = ['Suparmi', 'Sumarni', 'Sulastri', 'Painem', 'Sukinah', 'Suminah', 'Wagiyem', 'Tumini', 'Sutinah', 'Ngatini'];

export const MALE_SECOND_NAMES: readonly string[] = [
  'Santoso', 'Saputra', 'Pratama', 'Setiawan', 'Hidayat', 'Wibowo', 'Kurniawan', 'Gunawan', 'Nugroho', 'Susanto',
  'Prasetyo', 'Firmansyah', 'Hermawan', 'Ramadhan', 'Hakim', 'Maulana', 'Syahputra', 'Kusuma', 'Purnomo', 'Utomo',
];

export const FEMALE_SECOND_NAMES: readonly string[] = [
  'Rahmawati', 'Lestari', 'Wulandari', 'Purnamasari', 'Handayani', 'Susanti', 'Kusumawati', 'Anggraini', 'Permatasari',
  'Puspitasari', 'Safitri', 'Wahyuni', 'Maharani', 'Rahayu', 'Aminah', 'Fatimah', 'Utami', 'Novitasari', 'Yulianti', 'Hartati',
];

/** Batak, Mandailing and other family names, and common Chinese-Indonesian surnames. */
export const FAMILY_NAMES: readonly string[] = [
  'Nasution', 'Siregar', 'Simanjuntak', 'Harahap', 'Lubis', 'Sihombing', 'Tanjung', 'Pardede', 'Sinaga', 'Manurung',
  'Panjaitan', 'Ginting', 'Tarigan', 'Sembiring', 'Pohan', 'Daulay', 'Rangkuti', 'Hutapea', 'Wijaya', 'Halim',
  'Gunadi', 'Tanuwijaya', 'Sutanto', 'Lim', 'Pangaribuan',
];

export function makePersonName(rng: Rng, gender: Gender): string {
  const male = gender === 'male';
  const given = male ? MALE_GIVEN_NAMES : FEMALE_GIVEN_NAMES;
  const second = male ? MALE_SECOND_NAMES : FEMALE_SECOND_NAMES;
  const shape = rng.next();
  if (shape < 0.12) return rng.pick(male ? MALE_SINGLE_NAMES : FEMALE_SINGLE_NAMES);
  if (shape < 0.6) return `${rng.pick(given)} ${rng.pick(second)}`;
  if (shape < 0.8) {
    const first = rng.pick(given);
    let middle = rng.pick(given);
    if (middle === first) middle = rng.pick(second);
    return `${first} ${middle} ${rng.pick(second)}`;
  }
  return `${rng.pick(given)} ${rng.pick(FAMILY_NAMES)}`;
}
