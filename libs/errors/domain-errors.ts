/**
 * Errors the domain raises, each with a stable code. They know nothing of HTTP: the API's
 * exception filter maps codes to statuses and problem+json.
 */
export interface FieldProblem {
  /** Where the problem is, e.g. `audience.leadIds[2]` or `steps.welcome.templateId`. */
  path: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly code: string;
  /** Problems tied to fields of the input, listed in the response. */
  readonly errors: FieldProblem[] = [];
}

export class InputInvalidError extends DomainError {
  readonly code = 'INPUT_INVALID';
  constructor(override readonly errors: FieldProblem[], message = 'The request has invalid fields.') {
    super(message);
  }
}

export class NotFoundError extends DomainError {
  readonly code = 'NOT_FOUND';
  constructor(readonly entity: string, readonly id?: string) {
    super(id ? `${entity} ${id} was not found.` : `${entity} was not found.`);
  }
}

export class ConflictError extends DomainError {
  readonly code = 'CONFLICT';
  constructor(message: string, override readonly errors: FieldProblem[] = []) {
    super(message);
  }
}

/** The input is well-formed but cannot be accepted as it stands (e.g. a flow with a dangling step). */
export class UnprocessableError extends DomainError {
  readonly code: string;
  constructor(code: string, message: string, override readonly errors: FieldProblem[] = []) {
    super(message);
    this.code = code;
  }
}

export class FlowInvalidError extends UnprocessableError {
  constructor(errors: FieldProblem[]) {
    super('FLOW_INVALID', 'The flow is not valid.', errors);
  }
}

export class AuthRequiredError extends DomainError {
  readonly code = 'AUTH_REQUIRED';
  constructor(message = 'An API key is required: send it as "Authorization: Bearer <key>" or "X-API-Key".') {
    super(message);
  }
}

export class ForbiddenError extends DomainError {
  readonly code = 'FORBIDDEN';
  constructor(message = 'This API key\'s role may not use this endpoint.') {
    super(message);
  }
}
