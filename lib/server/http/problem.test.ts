import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { formDataToObject } from './action';
import { validationError } from './problem';
import { requestIdFrom } from './request-id';

describe('validationError', () => {
  it('names unknown fields called like built-in properties instead of crashing', () => {
    const parsed = z.strictObject({ name: z.string() }).safeParse(JSON.parse('{"name":"x","__proto__":1,"constructor":1,"toString":1,"hasOwnProperty":1}'));
    const error = validationError(parsed.error!);
    expect(error.status).toBe(422);
    expect(Object.keys(error.fieldErrors!)).toEqual(['__proto__', 'constructor', 'toString', 'hasOwnProperty']);
    expect(error.fieldErrors!.constructor).toEqual(['Unknown field.']);
    expect(JSON.parse(JSON.stringify(error.fieldErrors))).toHaveProperty(['__proto__'], ['Unknown field.']);
  });
});

describe('formDataToObject', () => {
  it('keeps form fields named __proto__ or constructor as plain fields', () => {
    const form = new FormData();
    form.append('__proto__', 'x');
    form.append('constructor[]', 'a');
    form.append('constructor[]', 'b');
    form.append('toString', 'y');
    form.append('name', 'n');
    const object = formDataToObject(form);
    expect(Object.getPrototypeOf(object)).toBe(Object.prototype);
    expect(Object.keys(object)).toEqual(['__proto__', 'constructor', 'toString', 'name']);
    expect(object.constructor).toEqual(['a', 'b']);
    // A schema that does not know them drops (or, strict, names) them like any unknown field.
    expect(z.object({ name: z.string() }).parse(object)).toEqual({ name: 'n' });
    expect(z.strictObject({ name: z.string() }).safeParse(object).success).toBe(false);
  });
});

describe('requestIdFrom', () => {
  it('keeps a short safe token and replaces anything else', () => {
    expect(requestIdFrom(new Headers({ 'x-request-id': 'abc-123_x.y:z' }))).toBe('abc-123_x.y:z');
    for (const bad of ['', 'a b', '<x>', 'x'.repeat(65), 'a\u00e9']) {
      expect(requestIdFrom(new Headers({ 'x-request-id': bad }))).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(requestIdFrom(null)).toMatch(/^[0-9a-f-]{36}$/);
  });
});
