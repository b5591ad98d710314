import { registerDecorator, type ValidationArguments } from 'class-validator';
import { checkEmailAddress } from '../email-address.js';
import { checkSubscriberName } from '../subscriber-name.js';

function fromCheck(name: string, check: (value: unknown) => { ok: boolean; problem?: string }) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName,
      validator: {
        validate: (value: unknown) => check(value).ok,
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property} ${(check(args?.value) as { problem: string }).problem}`,
      },
    });
}

/** A mailing-list address as `checkEmailAddress` accepts it. */
export const IsListAddress = () => fromCheck('isListAddress', checkEmailAddress);

/** An optional subscriber name as `checkSubscriberName` accepts it. */
export const IsSubscriberName = () => fromCheck('isSubscriberName', checkSubscriberName);
