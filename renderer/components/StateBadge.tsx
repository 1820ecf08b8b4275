import { useTranslation } from 'react-i18next';
import type { SaleState } from '../../shared/contract';

export function StateBadge({ state }: { state: SaleState }) {
  const { t } = useTranslation();
  return <span className={`state state-${state}`}>{t(`states.${state}`)}</span>;
}
