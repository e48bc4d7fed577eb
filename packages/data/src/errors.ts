/**
 * Errors of @myelin/data. Both extend core's `MyelinError`, so one `instanceof MyelinError` catches every
 * mistake Myelin reports on purpose; the two subclasses tell "install or point at the data" apart from
 * "the data is there but broken".
 */
import { MyelinError } from '@myelin/core';

/**
 * The base class of data errors (bad dataset contents, wrong sample shapes, unreadable files).
 *
 * @example
 * ```ts
 * try { await fashionMnist('/nowhere'); } catch (e) { if (e instanceof DataError) console.error(e.message); }
 * ```
 */
export class DataError extends MyelinError {}

/** A data file or package that is not there. The message says what to install or where to put it. */
export class DataNotFoundError extends DataError {}

/** A data file that is there but truncated, corrupt, or not in the expected format. */
export class DataFormatError extends DataError {}
