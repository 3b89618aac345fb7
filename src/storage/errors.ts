/** A key that is not two plain path segments (see `isValidKey`): refused before touching storage. */
export class InvalidKeyError extends Error {
  override name = "InvalidKeyError";

  constructor(readonly key: string) {
    super(`Invalid storage key: ${JSON.stringify(key)}`);
  }
}
