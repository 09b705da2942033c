/**
 * Row objects made fast: `objectMaker(names)` compiles, once, a function that turns an array of values into a plain
 * object with those keys in that order (an undefined value becomes null). Every object it makes comes from one object
 * literal, so all share one hidden class from birth; filling an object key by key costs a property store per key and
 * leaves each object to find its shape on its own.
 *
 * Keys are written as JSON string literals (valid JavaScript whatever a name holds); `__proto__` as a computed key,
 * which defines an own property (a plain `__proto__:` key would set the prototype). Duplicate names: the last value
 * wins, at the first one's position, as key-by-key assignment gives.
 */
export type ObjectMaker = (values: readonly unknown[]) => Record<string, unknown>;

export function objectMaker(names: readonly string[]): ObjectMaker {
  const fields = names.map((name, i) => `${name === '__proto__' ? '["__proto__"]' : JSON.stringify(name)}: v[${i}] ?? null`);
  return new Function('v', `return { ${fields.join(', ')} };`) as ObjectMaker;
}
