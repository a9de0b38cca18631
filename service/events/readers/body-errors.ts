/**
 * The readers' name for the body errors, which now live in events/body-errors.ts so that the HTTP
 * layer can map them without importing from the readers.
 */
export { BodyInflationError, BodyParseError, BodyTooLargeError, ClientGoneError, isBodyError, type ByteSource } from '../body-errors.ts';
