export function CatalogScreen() {
  return <div />;
}
