import { ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { FieldProblem, InputInvalidError } from '@ce/errors';

/**
 * Validates every request body, query and path parameter against its DTO, strips nothing
 * silently (unknown fields are errors), and reports each bad field by path.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new InputInvalidError(flatten(errors)),
  });
}

export function flatten(errors: ValidationError[], parent = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const error of errors) {
    const path = join(parent, error.property);
    for (const [constraint, message] of Object.entries(error.constraints ?? {})) {
      problems.push({
        path,
        message: constraint === 'whitelistValidation' ? 'is not a known field' : stripProperty(message, error.property),
      });
    }
    problems.push(...flatten(error.children ?? [], path));
  }
  return problems;
}

function join(parent: string, property: string): string {
  if (/^\d+$/.test(property)) return `${parent}[${property}]`;
  return parent ? `${parent}.${property}` : property;
}

/** class-validator starts messages with the property name; the path already says it. */
function stripProperty(message: string, property: string): string {
  return message.startsWith(property + ' ') ? message.slice(property.length + 1) : message;
}
