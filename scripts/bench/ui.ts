/** Placeholder until the UI benchmark lands (issue 6). */
export async function benchUi(): Promise<void> {
  console.log('ui benchmark: not written yet');
}
