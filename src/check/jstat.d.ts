/** jstat ships no types; src/check/stats.ts declares the two functions it uses. */
declare module 'jstat';
