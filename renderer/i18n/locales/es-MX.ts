import { esAR } from './es-AR';
import type { Messages } from './en';

/** Español de México: "tú" where Argentina says "vos", "monto" for "importe", "celular" stays. */
export const esMX: Messages = {
  ...esAR,
  search: {
    ...esAR.search,
    more: 'Se muestran los primeros {{count}} resultados; escribe más para acotar.',
    noFavourites: 'Marca productos como favoritos en el catálogo para tener teclas rápidas aquí.',
  },
  cart: {
    ...esAR.cart,
    empty: 'El carrito está vacío. Escanea un código o busca un producto.',
    freeAmount: 'Monto libre',
    freeAmountTitle: 'Línea de monto libre',
    freeAmountDefault: 'Monto libre',
    amount: 'Monto',
    discountHint: 'Un monto (250) o un porcentaje (10%). 0 lo quita.',
    invalidAmount: 'Ese monto no es válido.',
    discountTooBig: 'El descuento no puede ser mayor que el monto.',
  },
  terminals: {
    ...esAR.terminals,
    choose: 'Elige la terminal',
    offlineWhy: 'Sin conexión: revisa que esté encendida y conectada',
    pickOne: 'Elige una terminal libre para cobrar.',
  },
  charge: {
    ...esAR.charge,
    at_terminalTell: 'Pide al cliente que inserte o acerque la tarjeta.',
    processingTell: 'Pide al cliente que no retire la tarjeta.',
    approvedTell: 'Entrega el comprobante al cliente.',
    rejectedTell: 'No se cobró nada. Pide otra tarjeta u otra forma de pago.',
    expiredTell: 'No se cobró nada. Puedes volver a intentar.',
    failedTell: 'No se cobró nada. Puedes volver a intentar.',
    unknownTell: 'No vuelvas a cobrar todavía: el pago pudo haber pasado. Caja sigue consultando.',
    cancelOnTerminal: 'El cobro ya está en la terminal: cancélalo ahí o espera al cliente.',
    tooLateToCancel: 'El cliente ya está pagando: no se puede cancelar. Espera el resultado.',
    resolveNote: '¿Qué revisaste? (queda en el registro)',
    cartUnsettled: 'Este carrito ya se envió y su pago no terminó. Revísalo en el aviso de arriba antes de cobrar de nuevo.',
  },
  reasons: {
    ...esAR.reasons,
    paymentMismatch:
      'Mercado Pago muestra el pago {{paymentId}}, que no coincide con esta venta ({{what}}). Revísalo antes de entregar la mercancía.',
  },
  reasonWords: {
    ...esAR.reasonWords,
    why_processing: 'el cliente ya está pagando. Espera el resultado.',
    why_onTerminal: 'ya está en la terminal: cancélalo ahí o espera al cliente.',
    why_unknown: 'Caja todavía no encuentra qué tiene la terminal. Vuelve a consultar en un momento.',
    what_amount: 'otro monto',
  },
  history: {
    ...esAR.history,
    refundPartial: 'Monto parcial',
    refundAmount: 'Monto a devolver',
    diff_amount_mismatch: 'Monto distinto',
  },
  catalog: {
    ...esAR.catalog,
    importText: 'O pega el CSV aquí',
    commitBlocked:
      'Corrige las filas marcadas en rojo y vuelve a previsualizar: no se importa nada mientras alguna fila tenga errores.',
  },
  settings: {
    ...esAR.settings,
    shopName: 'Nombre del negocio',
    shopAddress: 'Dirección del negocio',
    terminalScreenHelp: 'Modo demo: haz de cliente en la terminal simulada.',
    testUsers: 'Usuarios de prueba',
    testUsersHelp: 'Cuentas de prueba de Mercado Pago para ensayar antes de cobrar en serio (máximo 10).',
    testUserSite: 'País',
    testUserCreate: 'Crear usuario de prueba',
    testUserCreated: 'Usuario de prueba {{nickname}} creado. Anota la contraseña ahora: Caja no la guarda.',
    testUserPassword: 'Contraseña',
  },
  hardening: {
    ...esAR.hardening,
    tokenUnreadable: 'El token de Mercado Pago guardado no se puede leer en esta computadora; un encargado debe ingresarlo de nuevo en Ajustes.',
    tokenMissing: 'Todavía no hay token de Mercado Pago: un encargado debe ingresarlo en Ajustes antes de que esta caja pueda cobrar.',
    fileTooBig: 'Este archivo pesa {{size}} MiB; Caja importa archivos de hasta {{mib}} MiB. Divídelo en archivos más pequeños.',
  },
  dateField: {
    ...esAR.dateField,
    invalid: 'Escribe la fecha como {{pattern}}.',
  },
  errors: {
    ...esAR.errors,
    AUTH: 'Mercado Pago rechazó el access token. Revísalo en Ajustes.',
    INVALID_AMOUNT: 'Ese monto no se puede cobrar.',
    RATE_LIMITED: 'Mercado Pago pidió ir más despacio. Intenta de nuevo en un momento.',
    NETWORK: 'Sin conexión. Revisa la red e intenta de nuevo.',
  },
};
