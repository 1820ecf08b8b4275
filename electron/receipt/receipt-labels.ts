/**
 * Receipt wording per cashier locale. Kept beside the receipt (not in the renderer's i18n) because
 * main renders the receipt and must not depend on the renderer bundle.
 */
import type { Locale, SaleState } from '../../shared/contract';

export interface ReceiptLabels {
  title: string;
  sale: string;
  date: string;
  item: string;
  discount: string;
  subtotal: string;
  cartDiscount: string;
  total: string;
  refund: string;
  refunded: string;
  net: string;
  payment: string;
  approved: string;
  notPaid: string;
  card: string;
  paymentId: string;
  terminal: string;
  thanks: string;
  states: Record<SaleState, string>;
  refundStates: Record<'pending' | 'approved' | 'failed' | 'unknown', string>;
}

const es: ReceiptLabels = {
  title: 'Comprobante de venta',
  sale: 'Venta',
  date: 'Fecha',
  item: 'Artículo',
  discount: 'Descuento',
  subtotal: 'Subtotal',
  cartDiscount: 'Descuento general',
  total: 'Total',
  refund: 'Devolución',
  refunded: 'Devuelto',
  net: 'Neto',
  payment: 'Pago',
  approved: 'Aprobado',
  notPaid: 'NO PAGADO',
  card: 'Tarjeta',
  paymentId: 'N.º de pago',
  terminal: 'Terminal',
  thanks: '¡Gracias por su compra!',
  states: {
    draft: 'borrador',
    sending: 'enviando',
    at_terminal: 'esperando la tarjeta',
    processing: 'procesando',
    approved: 'aprobado',
    rejected: 'rechazado',
    cancelled: 'cancelado',
    expired: 'vencido',
    failed: 'fallido',
    unknown: 'sin confirmar',
    resolved: 'cerrada a mano, sin confirmar',
  },
  refundStates: {
    pending: 'pendiente',
    approved: 'aprobada',
    failed: 'fallida',
    unknown: 'sin confirmar',
  },
};

export const LABELS: Record<Locale, ReceiptLabels> = {
  'es-AR': es,
  'es-MX': {
    ...es,
    title: 'Ticket de venta',
    refund: 'Reembolso',
    refunded: 'Reembolsado',
    paymentId: 'Núm. de pago',
  },
  'pt-BR': {
    title: 'Comprovante de venda',
    sale: 'Venda',
    date: 'Data',
    item: 'Item',
    discount: 'Desconto',
    subtotal: 'Subtotal',
    cartDiscount: 'Desconto geral',
    total: 'Total',
    refund: 'Estorno',
    refunded: 'Estornado',
    net: 'Líquido',
    payment: 'Pagamento',
    approved: 'Aprovado',
    notPaid: 'NÃO PAGO',
    card: 'Cartão',
    paymentId: 'Nº do pagamento',
    terminal: 'Maquininha',
    thanks: 'Obrigado pela compra!',
    states: {
      draft: 'rascunho',
      sending: 'enviando',
      at_terminal: 'aguardando o cartão',
      processing: 'processando',
      approved: 'aprovado',
      rejected: 'recusado',
      cancelled: 'cancelado',
      expired: 'expirado',
      failed: 'falhou',
      unknown: 'não confirmado',
      resolved: 'fechada à mão, não confirmada',
    },
    refundStates: {
      pending: 'pendente',
      approved: 'aprovado',
      failed: 'falhou',
      unknown: 'não confirmado',
    },
  },
  en: {
    title: 'Sales receipt',
    sale: 'Sale',
    date: 'Date',
    item: 'Item',
    discount: 'Discount',
    subtotal: 'Subtotal',
    cartDiscount: 'Cart discount',
    total: 'Total',
    refund: 'Refund',
    refunded: 'Refunded',
    net: 'Net',
    payment: 'Payment',
    approved: 'APPROVED',
    notPaid: 'NOT PAID',
    card: 'Card',
    paymentId: 'Payment ID',
    terminal: 'Terminal',
    thanks: 'Thank you for your purchase!',
    states: {
      draft: 'draft',
      sending: 'sending',
      at_terminal: 'waiting for the card',
      processing: 'processing',
      approved: 'approved',
      rejected: 'rejected',
      cancelled: 'cancelled',
      expired: 'expired',
      failed: 'failed',
      unknown: 'not confirmed',
      resolved: 'closed by hand, not confirmed',
    },
    refundStates: {
      pending: 'pending',
      approved: 'approved',
      failed: 'failed',
      unknown: 'not confirmed',
    },
  },
};
