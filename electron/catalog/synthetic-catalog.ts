/**
 * A large, deterministic catalog as CSV, for the 50,000-product test and `npm run bench`: sized
 * like a big supermarket so search speed is measured on the shelf it must survive, not a toy.
 */
const ITEMS = [
  'Leche Entera',
  'Leche Descremada',
  'Yogur Bebible',
  'Queso Cremoso',
  'Manteca',
  'Dulce de Leche',
  'Café Molido',
  'Té Verde',
  'Yerba Mate',
  'Azúcar',
  'Harina',
  'Fideos Spaghetti',
  'Arroz Largo Fino',
  'Aceite de Girasol',
  'Mayonesa',
  'Galletitas Dulces',
  'Alfajor Triple',
  'Chocolate Aireado',
  'Caramelos Ácidos',
  'Gaseosa Cola',
  'Agua sin Gas',
  'Jugo de Naranja',
  'Cerveza Rubia',
  'Vino Tinto Malbec',
  'Papas Fritas',
  'Maní Salado',
  'Lavandina',
  'Detergente',
  'Jabón en Polvo',
  'Suavizante',
  'Papel Higiénico',
  'Shampoo',
  'Acondicionador',
  'Pasta Dental',
  'Desodorante',
  'Pan Lactal',
  'Tostadas de Arroz',
  'Mermelada de Durazno',
  'Atún al Natural',
  'Arvejas',
  'Puré de Tomate',
  'Caldo de Verdura',
  'Sal Fina',
  'Vinagre de Alcohol',
  'Pañales',
  'Alimento para Perro',
  'Helado de Crema',
  'Hamburguesas',
  'Salchichas',
  'Jamón Cocido',
] as const;
const BRANDS = [
  'La Serenísima',
  'SanCor',
  'Ilolay',
  'Arcor',
  'Bagley',
  'Terrabusi',
  'Molinos',
  'Ledesma',
  'Natura',
  'Cocinero',
  'Marolio',
  'Great Value',
  'Cuisine & Co',
  'Knorr',
  'Hellmann’s',
  'Quilmes',
  'Coca-Cola',
  'Villavicencio',
  'Ayudín',
  'Magistral',
  'Skip',
  'Elite',
  'Sedal',
  'Colgate',
  'Rexona',
  'Bimbo',
  'Taragüí',
  'Playadito',
  'Pureza',
  'Lucchetti',
  'Gallo',
  'La Campagnola',
  'Dos Anclas',
  'Menoyo',
  'Paty',
  'Swift',
  'Pampers',
  'Dog Chow',
  'Frigor',
  'Paladini',
] as const;
const VARIANTS = ['Clásico', 'Light', 'Sin TACC', 'Premium', 'Económico'] as const;
const SIZES = ['250g', '500g', '1kg', '1L', '1.5L'] as const;

export interface SyntheticProduct {
  name: string;
  price: number; // whole pesos
  sku: string;
  barcode: string;
  category: string;
}

export function syntheticProducts(count: number): SyntheticProduct[] {
  const out: SyntheticProduct[] = [];
  for (let n = 0; out.length < count; n++) {
    const item = ITEMS[n % ITEMS.length]!;
    const brand = BRANDS[Math.floor(n / ITEMS.length) % BRANDS.length]!;
    const variant = VARIANTS[Math.floor(n / (ITEMS.length * BRANDS.length)) % VARIANTS.length]!;
    const size = SIZES[Math.floor(n / (ITEMS.length * BRANDS.length * VARIANTS.length)) % SIZES.length]!;
    const round = Math.floor(n / (ITEMS.length * BRANDS.length * VARIANTS.length * SIZES.length));
    const name = `${item} ${brand} ${variant} ${size}${round ? ` #${round + 1}` : ''}`;
    out.push({
      name,
      price: 500 + ((n * 7919) % 20000),
      sku: `SYN-${String(n).padStart(6, '0')}`,
      barcode: `2${String(n).padStart(12, '0')}`,
      category: item.split(' ')[0]!,
    });
  }
  return out;
}

export function toCsv(products: SyntheticProduct[]): string {
  const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = products.map((p) => [p.name, String(p.price), p.sku, p.barcode, p.category].map(quote).join(','));
  return ['name,price,sku,barcode,category', ...lines].join('\n');
}
