/** Progress of a check: plain lines off a terminal, live bars on one, with the time left. */
import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import type { Progress } from '../src/check/runner.ts';
import { createProgress, formatDuration, timeLeft, wantsBars } from '../src/report/progress.ts';

class Capture extends Writable {
  text = '';
  isTTY: boolean;
  columns = 160;
  constructor(tty: boolean) {
    super();
    this.isTTY = tty;
  }
  override _write(chunk: Buffer, _enc: string, done: () => void) {
    this.text += chunk.toString();
    done();
  }
  // What cli-progress calls on a terminal (readline's cursor helpers go through write).
  cursorTo(x: number, y?: number | (() => void)) {
    this.text += `\x1b[${typeof y === 'number' ? y + 1 : ''};${x + 1}H`;
    return true;
  }
  moveCursor(dx: number, dy: number) {
    this.text += `\x1b[${dy};${dx}m`;
    return true;
  }
  clearLine() {
    this.text += '\x1b[2K';
    return true;
  }
  clearScreenDown() {
    this.text += '\x1b[J';
    return true;
  }
}

const p = (done: number, total: number, worst: number | null, extra: Partial<Progress> = {}): Progress => ({ theorem: 'classic/gd', regime: 'theorem', phase: 'draw', done, total, worstTightness: worst, violated: 0, ...extra });

describe('estimates', () => {
  it('extrapolates the pace so far, and says nothing before the first instance', () => {
    expect(timeLeft(10_000, 0, 100)).toBeNull();
    expect(timeLeft(10_000, 20, 100)).toBe(40_000);
    expect(timeLeft(10_000, 100, 100)).toBe(0);
    expect(formatDuration(40_000)).toBe('~40 s');
    expect(formatDuration(200_000)).toBe('~3 min 20 s');
    expect(formatDuration(3_900_000)).toBe('~1 h 05 min');
  });
});

describe('off a terminal: plain log lines', () => {
  it('a line when a regime starts, then one per interval while it runs, with instances, worst tightness and time left', () => {
    let t = 0;
    const out = new Capture(false);
    const progress = createProgress({ stream: out, tty: false, now: () => t, interval: 10_000 }, [{ instances: 100 }, { instances: 30 }]);
    progress.begin('classic/gd', 'theorem', 100);
    t = 1000;
    progress.update(p(1, 100, 0.5)); // within the interval since the start: not printed
    t = 12_000;
    progress.update(p(20, 100, 0.957)); // printed, 12 s for 20 → 48 s left
    t = 15_000;
    progress.update(p(25, 100, 0.96)); // within the interval: not printed
    t = 60_000;
    progress.update(p(100, 100, 0.993)); // the last one: the result line says it
    progress.log('ok   classic/gd · theorem …');
    progress.end();
    progress.begin('classic/gd', 'broken:step-size', 30);
    t = 61_000;
    progress.update(p(30, 30, Infinity, { regime: 'broken:step-size', violated: 29 }));
    t = 75_000;
    progress.update(p(3, 300, Infinity, { regime: 'broken:step-size', phase: 'shrink', violated: 29 }));
    progress.stop();
    const lines = out.text.trim().split('\n');
    expect(lines).toEqual([
      '… classic/gd · theorem: 100 instances (0/130 instances · 0/2 regimes · 0 s so far)',
      '  classic/gd · theorem: 20/100 instances · worst tightness 0.957 · ~48 s left',
      'ok   classic/gd · theorem …',
      '… classic/gd · broken:step-size: 30 instances (100/130 instances · 1/2 regimes · 1 min 00 s so far)',
      '  classic/gd · broken:step-size: shrinking the counterexample: 3 tried (at most 300) · worst tightness ∞ · 29 violated',
    ]);
    expect(out.text).not.toMatch(/\x1b\[/); // no terminal codes in a log
  });
});

describe('on a terminal: live bars', () => {
  it('draws the whole check and the running regime, with what they say, and logs finished regimes above the bars', () => {
    let t = 0;
    const out = new Capture(true);
    const progress = createProgress({ stream: out, tty: true, now: () => t }, [{ instances: 100 }]);
    progress.begin('classic/gd', 'theorem', 100);
    t = 8000;
    progress.update(p(40, 100, 0.957, { violated: 2 }));
    progress.log('ok   classic/gd · theorem (expects holds)');
    progress.end();
    progress.stop();
    expect(out.text).toMatch(/classic\/gd · theorem \[█+░+\] 40\/100 instances · worst tightness 0\.957 · 2 violated · ~12 s left/);
    expect(out.text).toMatch(/check \[█*░+\] 40\/100 instances · 0\/1 regimes · 8 s so far/);
    expect(out.text).toContain('ok   classic/gd · theorem (expects holds)\n');
    expect(out.text).toMatch(/\x1b\[/); // it does redraw in place
  });
});

describe('--progress auto|bars|plain', () => {
  it('draws bars only on a terminal that can move the cursor: not TERM=dumb, not NO_COLOR', () => {
    const tty = { isTTY: true };
    expect(wantsBars('auto', tty, { TERM: 'xterm-256color' })).toBe(true);
    expect(wantsBars('auto', tty, { TERM: 'dumb' })).toBe(false);
    expect(wantsBars('auto', tty, { TERM: 'xterm', NO_COLOR: '1' })).toBe(false);
    expect(wantsBars('auto', tty, { TERM: 'xterm', NO_COLOR: '' })).toBe(true); // no-color.org: set and not empty
    expect(wantsBars('auto', { isTTY: false }, {})).toBe(false);
    expect(wantsBars('plain', tty, { TERM: 'xterm' })).toBe(false);
    expect(wantsBars('bars', { isTTY: false }, { TERM: 'dumb' })).toBe(true);
  });
});
