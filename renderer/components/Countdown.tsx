import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** Time left until the terminal stops waiting for the card. */
export function Countdown({ until }: { until: string }) {
  const { t } = useTranslation();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const left = Math.max(0, Math.round((Date.parse(until) - now) / 1000));
  const time = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`;
  return (
    <p className="countdown" aria-live="off">
      {t('charge.countdown', { time })}
    </p>
  );
}
