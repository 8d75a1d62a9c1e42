/** A scaffold failure the user can fix (bad name, folder not empty); the bin prints only its message. */
export class EmbPluginScaffoldError extends Error {
  override readonly name = 'EmbPluginScaffoldError';
}
