import { en, type Messages } from './en';
export const ptBR: Messages = en;
