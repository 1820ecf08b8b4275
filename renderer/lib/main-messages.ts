import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { en } from '../i18n/locales/en';

/**
 * main writes a sale's reason in English (it is also the journal's text). The sentences a cashier
 * sees most have translations; anything else is shown as main wrote it rather than hidden.
 */
const KNOWN: Record<string, keyof typeof en.reasons> = {
  'Sending the charge to the terminal…': 'queued',
  'Waiting for the customer to present the card…': 'atTerminal',
  'The customer is paying…': 'processing',
  'Checking the result with Mercado Pago…': 'checking',
  'Payment approved.': 'approved',
  'The customer left the payment on the terminal. Nothing was charged.': 'abandoned',
  'The charge was cancelled. Nothing was charged.': 'cancelled',
  'The terminal stopped waiting for the card. Nothing was charged.': 'expired',
  'The terminal reported an error. Nothing was charged; try again.': 'terminalError',
  "Mercado Pago's answer was lost. Caja is finding out whether the charge exists…": 'lostAnswer',
  "Can't reach Mercado Pago. Caja keeps checking; do not charge again yet.": 'offline',
  'The charge never reached Mercado Pago. Nothing was charged.': 'neverSent',
  'The charge was closed on the phone without a payment. Nothing was charged.': 'closedWithoutPayment',
  'Card rejected: insufficient funds.': 'insufficientFunds',
  'Card rejected: the card details were wrong.': 'badDetails',
  'Card rejected: the customer must authorize the payment with their bank.': 'callForAuthorize',
  'Card rejected: the card is disabled.': 'cardDisabled',
  'Card rejected for security reasons.': 'highRisk',
  'Card rejected: too many attempts.': 'maxAttempts',
  'Card declined.': 'declined',
  'Cancelling…': 'cancelling',
  'The card issuer is reviewing the payment…': 'reviewing',
};

export function useMainMessage(): (message: string) => string {
  const { t } = useTranslation();
  return useCallback(
    (message: string) => {
      const key = KNOWN[message];
      return key ? t(`reasons.${key}`) : message;
    },
    [t],
  );
}
