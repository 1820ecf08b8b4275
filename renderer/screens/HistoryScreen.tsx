export function HistoryScreen() {
  return <div />;
}
