import { describe, expect, it } from 'vitest'
import { createProgressReporter } from './progress-reporter.js'

function fakeStream(isTTY: boolean): { stream: NodeJS.WriteStream; written: string[] } {
  const written: string[] = []
  const stream = { isTTY, write: (text: string) => written.push(text) > 0 } as unknown as NodeJS.WriteStream
  return { stream, written }
}

const step = (stepInEpoch: number) => ({ epoch: 0, epochs: 2, stepInEpoch, stepsPerEpoch: 8, loss: 0.5, accuracy: 0.9, samplesPerSecond: 812.4 })

describe('progress reporter', () => {
  it('writes plain lines at each quarter of an epoch when not a TTY', () => {
    const { stream, written } = fakeStream(false)
    const progress = createProgressReporter(stream)
    for (let s = 1; s <= 8; s++) progress.step(step(s))
    progress.epoch('epoch 1/2 done')
    expect(written).toStrictEqual([
      'epoch 1/2 [#####---------------] 25% loss 0.5000 acc 90.0% 812 samples/s\n',
      'epoch 1/2 [##########----------] 50% loss 0.5000 acc 90.0% 812 samples/s\n',
      'epoch 1/2 [###############-----] 75% loss 0.5000 acc 90.0% 812 samples/s\n',
      'epoch 1/2 done\n',
    ])
  })

  it('redraws one line in place on a TTY and clears it before messages', () => {
    const { stream, written } = fakeStream(true)
    const progress = createProgressReporter(stream)
    progress.step(step(4))
    progress.message('checkpoint saved')
    expect(written).toStrictEqual(['\r\x1b[2Kepoch 1/2 [##########----------] 50% loss 0.5000 acc 90.0% 812 samples/s', '\r\x1b[2K', 'checkpoint saved\n'])
  })
})
