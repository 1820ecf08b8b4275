import { esAR } from './es-AR';
import type { Messages } from './en';
export const esMX: Messages = esAR;
