/** Why the local database could not be opened; hosts show a specific message for each kind. */
export type StoreOpenErrorKind =
  | 'corrupt'
  | 'newer-version'
  | 'locked'
  | 'permission'
  /** the database is encrypted and this start has no key for it (key store locked or absent): untouched */
  | 'key-unavailable'
  /** the key given does not open the database (another data folder's key, or a damaged first page): untouched */
  | 'wrong-key';

export class StoreOpenError extends Error {
  readonly kind: StoreOpenErrorKind;
  readonly dbPath: string;
  /** where a damaged file was moved aside, if it was */
  readonly keptAt: string | null;

  constructor(kind: StoreOpenErrorKind, dbPath: string, message: string, keptAt: string | null = null) {
    super(message);
    this.name = 'StoreOpenError';
    this.kind = kind;
    this.dbPath = dbPath;
    this.keptAt = keptAt;
  }
}

/** A bundled resource file (taxonomy, rationale template, guideline) failed validation at startup. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly issues: { path: string; message: string }[],
  ) {
    super(`Invalid resource file ${file}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** Expected failures of a service call; dispatch maps them to status codes. */
export type ServiceErrorCode = 'not-found' | 'conflict' | 'invalid-input' | 'forbidden' | 'unavailable';

export class ServiceError extends Error {
  constructor(
    readonly code: ServiceErrorCode,
    message: string,
    readonly issues?: { path: string; message: string }[],
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}
