import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { Reason, ReasonParams } from '../../shared/reasons';
import { isErrorCode } from '../../shared/errors';
import { useMoney } from './money';

/**
 * Words for main's reason codes. Main sends `{code, params}` and never a sentence; the parameters that
 * are themselves codes (an error code, who cancelled, what did not match) are worded here too, and
 * money arrives as minor units and is formatted in the cashier's language.
 */
export function useReasonText(): (reason: Reason | null | undefined) => string {
  const { t } = useTranslation();
  const money = useMoney();
  return useCallback(
    (reason: Reason | null | undefined) => {
      if (!reason) return '';
      return (t as unknown as LooseT)(`reasons.${reason.code}`, wordParams(reason.params, t, money));
    },
    [t, money],
  );
}

type T = ReturnType<typeof useTranslation>['t'];
// Codes and their parameters are checked where they are made (shared/reasons.ts, the locale type); here
// the key is built at run time, which i18next's key types cannot follow.
type LooseT = (key: string, options: Record<string, string>) => string;

function wordParams(params: ReasonParams, t: T, money: (minor: number) => string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value === null) out[key] = '—';
    else if (key === 'amount' && typeof value === 'number') out[key] = money(value);
    else if ((key === 'error' || key === 'code') && isErrorCode(value)) out[key] = t(`errors.${value}`);
    else if (key === 'by' || key === 'why' || key === 'what' || key === 'status')
      out[key] = t(`reasonWords.${key}_${String(value)}` as 'reasonWords.by_cashier', {
        defaultValue: String(value),
        register: params.register ?? '',
      });
    else if (key === 'family') out[key] = t(`terminals.family_${String(value)}` as 'terminals.family_orders', { defaultValue: String(value) });
    else if (key === 'kind') out[key] = t(`history.diff_${String(value)}` as 'history.diff_unsettled', { defaultValue: String(value) });
    else out[key] = String(value);
  }
  // `{{error}}` in a sentence reads the code's words whichever name main gave the parameter.
  if (out.error === undefined && out.code !== undefined) out.error = out.code;
  return out;
}
