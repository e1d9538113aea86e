import { ValidateBy } from 'class-validator';
import { IANAZone } from 'luxon';

/** An IANA time zone name such as `Europe/Berlin` or `UTC`. */
export const IsTimeZone = () =>
  ValidateBy({
    name: 'isTimeZone',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && value.length <= 64 && IANAZone.isValidZone(value),
      defaultMessage: () => 'must be an IANA time zone such as Europe/Berlin',
    },
  });
