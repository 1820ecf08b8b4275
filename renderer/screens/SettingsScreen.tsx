export function SettingsScreen() {
  return <div />;
}
