/**
 * The demo catalog: an Argentine kiosk/almacén, generated from brands × items × sizes.
 *
 * Deterministic on purpose (ids, barcodes and prices are derived, never random) so screenshots, e2e
 * specs and the simulator's scenarios see the same shelf every time. Prices are whole currency units
 * because the simulator reads the cents of an amount as a scenario switch (…01, …02 fail on purpose).
 */
import type { Product } from '../../shared/contract';
import { decimalsOf, type SiteId } from '../../shared/money';

/** Tests and the simulator rely on this exact product. */
export const DEMO_WATER = {
  barcode: '7790001000019',
  name: 'Agua Mineral 500ml',
  priceArs: 1500,
} as const;

interface Family {
  category: string;
  /** Brand × item × size; `price` is ARS for the first size, later sizes scale by `sizeFactor`. */
  brands: readonly string[];
  items: readonly string[];
  sizes: readonly string[];
  price: number;
  sizeFactor?: readonly number[];
  /** Name pattern; defaults to "item brand size". */
  name?: (brand: string, item: string, size: string) => string;
}

const FAMILIES: readonly Family[] = [
  // bebidas
  {
    category: 'Bebidas',
    brands: ['Coca-Cola', 'Sprite', 'Fanta', 'Pepsi', '7Up', 'Paso de los Toros', 'Manaos'],
    items: ['Gaseosa'],
    sizes: ['500ml', '1.5L', '2.25L'],
    price: 1400,
    sizeFactor: [1, 2, 2.7],
    name: (b, _i, s) => `${b} ${s}`,
  },
  {
    category: 'Bebidas',
    brands: ['Villavicencio', 'Villa del Sur', 'Glaciar', 'Eco de los Andes'],
    items: ['Agua sin gas'],
    sizes: ['500ml', '1.5L', '2L'],
    price: 1300,
    sizeFactor: [1, 1.8, 2.2],
    name: (b, i, s) => `${i} ${b} ${s}`,
  },
  {
    category: 'Bebidas',
    brands: ['Quilmes', 'Brahma', 'Stella Artois', 'Andes Origen', 'Patagonia'],
    items: ['Cerveza'],
    sizes: ['Lata 473ml', 'Botella 1L'],
    price: 1900,
    sizeFactor: [1, 2.2],
  },
  {
    category: 'Bebidas',
    brands: ['Cepita', 'Baggio'],
    items: ['Jugo Naranja', 'Jugo Manzana', 'Jugo Multifruta'],
    sizes: ['1L', '200ml'],
    price: 2200,
    sizeFactor: [1, 0.4],
  },
  {
    category: 'Bebidas',
    brands: ['Gatorade', 'Powerade'],
    items: ['Bebida Isotónica'],
    sizes: ['500ml'],
    price: 1800,
  },
  {
    category: 'Bebidas',
    brands: ['Speed', 'Red Bull'],
    items: ['Energizante'],
    sizes: ['Lata 250ml'],
    price: 2000,
  },
  // almacén
  {
    category: 'Almacén',
    brands: ['Playadito', 'Taragüí', 'La Merced', 'Rosamonte', 'Amanda', 'Unión'],
    items: ['Yerba Mate'],
    sizes: ['500g', '1kg'],
    price: 2600,
    sizeFactor: [1, 1.9],
  },
  {
    category: 'Almacén',
    brands: ['Matarazzo', 'Lucchetti', 'Don Vicente'],
    items: ['Fideos Spaghetti', 'Fideos Tirabuzón', 'Fideos Mostachol', 'Fideos Moñito'],
    sizes: ['500g'],
    price: 1300,
  },
  {
    category: 'Almacén',
    brands: ['Gallo', 'Molinos Ala', 'Dos Hermanos'],
    items: ['Arroz Largo Fino', 'Arroz Doble Carolina', 'Arroz Integral'],
    sizes: ['1kg'],
    price: 1800,
  },
  {
    category: 'Almacén',
    brands: ['Natura', 'Cocinero', 'Cañuelas'],
    items: ['Aceite de Girasol', 'Aceite Mezcla'],
    sizes: ['900ml', '1.5L'],
    price: 2900,
    sizeFactor: [1, 1.6],
  },
  {
    category: 'Almacén',
    brands: ['Ledesma', 'Chango'],
    items: ['Azúcar'],
    sizes: ['1kg'],
    price: 1500,
  },
  {
    category: 'Almacén',
    brands: ['Pureza', 'Blancaflor', 'Favorita'],
    items: ['Harina 000', 'Harina 0000', 'Harina Leudante'],
    sizes: ['1kg'],
    price: 1100,
  },
  {
    category: 'Almacén',
    brands: ["Hellmann's", 'Natura', 'Fanacoa'],
    items: ['Mayonesa', 'Ketchup', 'Mostaza'],
    sizes: ['250g', '500g'],
    price: 1700,
    sizeFactor: [1, 1.8],
  },
  {
    category: 'Almacén',
    brands: ['La Virginia', 'Cabrales', 'Nescafé'],
    items: ['Café Molido', 'Café Instantáneo'],
    sizes: ['250g', '170g'],
    price: 5200,
    sizeFactor: [1, 1.3],
  },
  {
    category: 'Almacén',
    brands: ['Taragüí', 'La Virginia', 'Green Hills'],
    items: ['Té Común', 'Té Verde', 'Mate Cocido'],
    sizes: ['x25 saquitos'],
    price: 1200,
  },
  {
    category: 'Almacén',
    brands: ['Arcor', 'La Campagnola', 'Inca'],
    items: ['Puré de Tomate', 'Tomate Triturado', 'Arvejas', 'Choclo Cremoso'],
    sizes: ['520g', '350g'],
    price: 1000,
    sizeFactor: [1, 0.8],
  },
  {
    category: 'Almacén',
    brands: ['Knorr', 'Maggi'],
    items: ['Caldo de Gallina', 'Caldo de Verdura', 'Sopa Crema de Zapallo'],
    sizes: ['x6 cubos'],
    price: 900,
  },
  {
    category: 'Almacén',
    brands: ['Dos Anclas', 'Celusal'],
    items: ['Sal Fina', 'Sal Gruesa'],
    sizes: ['500g'],
    price: 800,
  },
  // lácteos
  {
    category: 'Lácteos',
    brands: ['La Serenísima', 'SanCor', 'Ilolay', 'Tregar'],
    items: ['Leche Entera', 'Leche Descremada', 'Leche Larga Vida'],
    sizes: ['1L'],
    price: 1500,
  },
  {
    category: 'Lácteos',
    brands: ['La Serenísima', 'SanCor', 'Ser'],
    items: ['Yogur Bebible Frutilla', 'Yogur Bebible Vainilla', 'Yogur Firme Natural'],
    sizes: ['900g', '190g'],
    price: 2600,
    sizeFactor: [1, 0.35],
  },
  {
    category: 'Lácteos',
    brands: ['La Serenísima', 'SanCor', 'Tonadita'],
    items: ['Manteca'],
    sizes: ['100g', '200g'],
    price: 1400,
    sizeFactor: [1, 1.8],
  },
  {
    category: 'Lácteos',
    brands: ['La Serenísima', 'Casancrem', 'Ilolay'],
    items: ['Queso Crema'],
    sizes: ['290g'],
    price: 2500,
  },
  {
    category: 'Lácteos',
    brands: ['La Serenísima', 'SanCor', 'Havanna', 'Chimbote'],
    items: ['Dulce de Leche'],
    sizes: ['400g', '1kg'],
    price: 2400,
    sizeFactor: [1, 2.2],
  },
  {
    category: 'Lácteos',
    brands: ['La Paulina', 'Milkaut'],
    items: ['Queso Cremoso', 'Queso Rallado'],
    sizes: ['x kg', '150g'],
    price: 9500,
    sizeFactor: [1, 0.3],
  },
  // limpieza
  {
    category: 'Limpieza',
    brands: ['Ayudín', 'Querubín'],
    items: ['Lavandina'],
    sizes: ['1L', '2L'],
    price: 1200,
    sizeFactor: [1, 1.8],
  },
  {
    category: 'Limpieza',
    brands: ['Magistral', 'Ala', 'Cif'],
    items: ['Detergente Limón', 'Detergente Ultra'],
    sizes: ['500ml', '750ml'],
    price: 1900,
    sizeFactor: [1, 1.4],
  },
  {
    category: 'Limpieza',
    brands: ['Skip', 'Ala', 'Ariel'],
    items: ['Jabón en Polvo', 'Jabón Líquido'],
    sizes: ['800g', '3L'],
    price: 5200,
    sizeFactor: [1, 3.1],
  },
  {
    category: 'Limpieza',
    brands: ['Elite', 'Higienol', 'Campanita'],
    items: ['Papel Higiénico', 'Rollo de Cocina'],
    sizes: ['x4 rollos'],
    price: 2400,
  },
  {
    category: 'Limpieza',
    brands: ['Mr Músculo', 'Procenex', 'Poett'],
    items: ['Limpiador Multiuso', 'Desodorante de Pisos'],
    sizes: ['900ml'],
    price: 2100,
  },
  {
    category: 'Limpieza',
    brands: ['Vivere', 'Comfort'],
    items: ['Suavizante'],
    sizes: ['900ml'],
    price: 2700,
  },
  // perfumería
  {
    category: 'Perfumería',
    brands: ['Sedal', 'Pantene', 'Head & Shoulders'],
    items: ['Shampoo', 'Acondicionador'],
    sizes: ['340ml'],
    price: 3900,
  },
  {
    category: 'Perfumería',
    brands: ['Rexona', 'Axe', 'Dove'],
    items: ['Desodorante Aerosol'],
    sizes: ['150ml'],
    price: 3300,
  },
  {
    category: 'Perfumería',
    brands: ['Colgate', 'Oral-B', 'Kolynos'],
    items: ['Pasta Dental'],
    sizes: ['90g'],
    price: 2200,
  },
  {
    category: 'Perfumería',
    brands: ['Dove', 'Lux', 'Rexona'],
    items: ['Jabón de Tocador'],
    sizes: ['90g'],
    price: 1100,
  },
  // panadería
  {
    category: 'Panadería',
    brands: ['Bimbo', 'Fargo', 'La Perla'],
    items: ['Pan Lactal Blanco', 'Pan Lactal Integral', 'Pan de Hamburguesa'],
    sizes: ['x unidad'],
    price: 3200,
    name: (b, i) => `${i} ${b}`,
  },
  {
    category: 'Panadería',
    brands: ['Don Satur'],
    items: ['Bizcochitos de Grasa', 'Bizcochitos Dulces', 'Criollitas'],
    sizes: ['200g'],
    price: 1100,
  },
  {
    category: 'Panadería',
    brands: ['Terrabusi', 'Bagley', 'Okebon', 'Traviata'],
    items: ['Galletitas de Agua', 'Galletitas Dulces', 'Galletitas Surtidas'],
    sizes: ['x paquete'],
    price: 1300,
    name: (b, i) => `${i} ${b}`,
  },
  {
    category: 'Panadería',
    brands: ['Panadería'],
    items: ['Medialuna de Manteca', 'Medialuna de Grasa', 'Factura Surtida', 'Pan Francés x kg'],
    sizes: ['u.'],
    price: 450,
    name: (_b, i) => i,
  },
  // golosinas
  {
    category: 'Golosinas',
    brands: ['Jorgito', 'Guaymallén', 'Havanna', 'Milka', 'Terrabusi', 'Capitán del Espacio', 'Fantoche'],
    items: ['Alfajor Chocolate', 'Alfajor Blanco', 'Alfajor Triple'],
    sizes: ['u.'],
    price: 900,
    name: (b, i) => `${i} ${b}`,
  },
  {
    category: 'Golosinas',
    brands: ['Beldent', 'Topline', 'Bubbaloo'],
    items: ['Chicles Menta', 'Chicles Frutilla'],
    sizes: ['x10'],
    price: 700,
    name: (b, i) => `${i} ${b}`,
  },
  {
    category: 'Golosinas',
    brands: ['Milka', 'Cofler', 'Águila', 'Block'],
    items: ['Chocolate con Leche', 'Chocolate Aireado'],
    sizes: ['100g', '55g'],
    price: 2900,
    sizeFactor: [1, 0.5],
  },
  {
    category: 'Golosinas',
    brands: ['Sugus', 'Media Hora', 'Flynn Paff'],
    items: ['Caramelos Surtidos'],
    sizes: ['x bolsa'],
    price: 1000,
    name: (b, i) => `${i} ${b}`,
  },
  {
    category: 'Golosinas',
    brands: ['Mogul', 'Billiken'],
    items: ['Gomitas Frutales', 'Gomitas Ositos'],
    sizes: ['30g'],
    price: 600,
  },
  {
    category: 'Golosinas',
    brands: ['Bon o Bon', 'Rocklets', 'Tita', 'Rhodesia'],
    items: ['Golosina'],
    sizes: ['u.'],
    price: 700,
    name: (b) => b,
  },
  // snacks
  {
    category: 'Snacks',
    brands: ["Lay's", 'Pringles', 'Krachitos', 'Quento'],
    items: ['Papas Fritas Clásicas', 'Papas Fritas Jamón'],
    sizes: ['80g', '145g'],
    price: 2100,
    sizeFactor: [1, 1.7],
  },
  {
    category: 'Snacks',
    brands: ['Pehuamar', 'Krachitos'],
    items: ['Maní Salado', 'Palitos Salados', 'Chizitos'],
    sizes: ['120g'],
    price: 1500,
  },
  // kiosco
  {
    category: 'Kiosco',
    brands: ['Bic', 'Clipper'],
    items: ['Encendedor'],
    sizes: ['u.'],
    price: 1200,
    name: (b, i) => `${i} ${b}`,
  },
  {
    category: 'Kiosco',
    brands: ['SUBE'],
    items: ['Tarjeta SUBE'],
    sizes: ['u.'],
    price: 2500,
    name: (_b, i) => i,
  },
  {
    category: 'Kiosco',
    brands: ['Pilas Duracell', 'Pilas Energizer'],
    items: ['AA', 'AAA'],
    sizes: ['x2'],
    price: 3600,
    name: (b, i, s) => `${b} ${i} ${s}`,
  },
];

/** What a cashier rings up all day: marked favourite so they sit on the first screen. */
const FAVOURITES = new Set([
  'Agua Mineral 500ml',
  'Coca-Cola 500ml',
  'Coca-Cola 2.25L',
  'Cerveza Quilmes Lata 473ml',
  'Yerba Mate Playadito 1kg',
  'Leche Entera La Serenísima 1L',
  'Pan Lactal Blanco Bimbo',
  'Medialuna de Manteca',
  'Alfajor Chocolate Jorgito',
  'Alfajor Triple Havanna',
  'Chicles Menta Beldent',
  'Tarjeta SUBE',
]);

/** Rough ARS → local currency factors, so the demo looks plausible on every site. */
const SITE_FACTOR: Record<SiteId, number> = {
  MLA: 1,
  MLB: 1 / 250,
  MLM: 1 / 70,
  MLC: 0.9,
  MCO: 3.5,
  MPE: 1 / 330,
  MLU: 1 / 30,
};
/** Rounding step in whole currency units, the way shelves are priced. */
const SITE_STEP: Record<SiteId, number> = {
  MLA: 10,
  MLB: 1,
  MLM: 1,
  MLC: 10,
  MCO: 100,
  MPE: 1,
  MLU: 1,
};

export function ean13CheckDigit(first12: string): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10;
}

export function isValidEan13(code: string): boolean {
  return /^\d{13}$/.test(code) && ean13CheckDigit(code.slice(0, 12)) === Number(code[12]);
}

/** Small stable hash so each product's price varies a little by brand without randomness. */
function jitter(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return ((h >>> 0) % 21) / 100 - 0.1; // -10% … +10%
}

function sitePrice(ars: number, site: SiteId): number {
  const step = SITE_STEP[site];
  const whole = Math.max(step, Math.round((ars * SITE_FACTOR[site]) / step) * step);
  return whole * 10 ** decimalsOf(site);
}

const SKU_PREFIX: Record<string, string> = {
  Bebidas: 'BEB',
  Almacén: 'ALM',
  Lácteos: 'LAC',
  Limpieza: 'LIM',
  Perfumería: 'PER',
  Panadería: 'PAN',
  Golosinas: 'GOL',
  Snacks: 'SNK',
  Kiosco: 'KIO',
};

export function demoProducts(site: SiteId): Product[] {
  const products: Product[] = [];
  const names = new Set<string>();
  const perCategory = new Map<string, number>();
  const add = (name: string, ars: number, category: string, barcode: string) => {
    if (names.has(name)) return;
    names.add(name);
    const n = (perCategory.get(category) ?? 0) + 1;
    perCategory.set(category, n);
    const sku = `${SKU_PREFIX[category] ?? 'GEN'}-${String(n).padStart(4, '0')}`;
    products.push({
      id: `demo-${sku.toLowerCase()}`,
      name,
      price: sitePrice(ars, site),
      sku,
      barcode,
      category,
      favourite: FAVOURITES.has(name),
    });
  };

  add(DEMO_WATER.name, DEMO_WATER.priceArs, 'Bebidas', DEMO_WATER.barcode);
  if (site === 'MLA') products[0]!.price = DEMO_WATER.priceArs * 100;

  let serial = 0;
  FAMILIES.forEach((family, f) => {
    family.brands.forEach((brand, b) => {
      family.items.forEach((item, i) => {
        family.sizes.forEach((size, s) => {
          const name = (family.name ?? ((br, it, sz) => `${it} ${br} ${sz}`))(brand, item, size);
          const ars = family.price * (family.sizeFactor?.[s] ?? 1) * (1 + jitter(name));
          // 779 (Argentina) + a company number per brand + item serial: unique, with a real check digit.
          const company = String(100 + f * 10 + b).padStart(4, '0');
          const body = `779${company}${String(i * 10 + s).padStart(2, '0')}${String(serial++ % 1000).padStart(3, '0')}`;
          add(name, ars, family.category, body + ean13CheckDigit(body));
        });
      });
    });
  });
  return products;
}
