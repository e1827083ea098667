import { describe, expect, it } from 'vitest';
import { generatePassphrase, generatePassword } from '../../../electron/vault/domain/generator.ts';
import { passwordStrength } from '../../../electron/vault/domain/strength.ts';
import { StrengthScorer } from '../../../electron/vault/domain/strength-scorer.ts';

describe('password strength (zxcvbn)', () => {
  it('scores common and l33t-substituted passwords as weak', () => {
    for (const weak of ['password', 'P@ssw0rd', 'p@55w0rd1', 'Norfolk2024', 'qwertyuiop']) {
      expect(passwordStrength(weak), weak).toBeLessThan(3);
    }
  });

  it("counts the account's own handle and unit as guessable", () => {
    expect(passwordStrength('NorfolkRoadsPolicing', ['NorfolkRoadsPolicing'])).toBeLessThan(
      passwordStrength('NorfolkRoadsPolicing'),
    );
  });

  it('scores generated passwords and passphrases as strong', () => {
    expect(passwordStrength(generatePassword())).toBe(4);
    expect(passwordStrength(generatePassphrase())).toBe(4);
  });
});

describe('the generator', () => {
  it('draws every requested class and the requested length', () => {
    for (let i = 0; i < 50; i++) {
      const password = generatePassword({ length: 16, classes: ['lower', 'digits'] });
      expect(password).toMatch(/^[a-z2-9]{16}$/);
      expect(password).toMatch(/[0-9]/);
      expect(password).toMatch(/[a-z]/);
    }
  });

  it('refuses a length outside 12-128 and an empty class list', () => {
    expect(() => generatePassword({ length: 8 })).toThrow(RangeError);
    expect(() => generatePassword({ classes: [] })).toThrow(RangeError);
  });

  it('makes EFF-wordlist passphrases of the requested number of words', () => {
    const phrase = generatePassphrase({ words: 7, separator: ' ' });
    expect(phrase.split(' ')).toHaveLength(7);
    expect(new Set(Array.from({ length: 20 }, () => generatePassphrase())).size).toBe(20);
  });
});

describe("the import's scorer on a worker thread (issue 11)", () => {
  it('gives each password the score the process gives it: one zxcvbn set-up for both', async () => {
    const items = [
      { password: 'password', context: [] },
      { password: 'NorfolkRoadsPolicing', context: ['NorfolkRoadsPolicing'] },
      { password: 'p@55w0rd1', context: ['Roads'] },
      { password: generatePassword(), context: ['x'] },
      {
        password: 'Tidy-Harbour-Lantern-42',
        context: ['NorfolkPolice', 'Corporate Communications'],
      },
    ];
    const scorer = new StrengthScorer();
    try {
      expect(await scorer.score(items)).toEqual(
        items.map((item) => passwordStrength(item.password, item.context)),
      );
    } finally {
      await scorer.close();
    }
  });

  it('refuses work once closed, saying the rows were not written', async () => {
    const scorer = new StrengthScorer();
    await scorer.close();
    await expect(scorer.score([{ password: 'x', context: [] }])).rejects.toThrow(/not written/);
  });
});
