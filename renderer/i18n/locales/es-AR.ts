import { en, type Messages } from './en';
export const esAR: Messages = en;
