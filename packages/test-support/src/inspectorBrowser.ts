/**
 * The inspector's page in a real browser (headless Chromium driven by playwright-core), checked alike on both
 * lines: the tests are written once here, over what a line hands them (its emulator, its client, its
 * vitest). The runners: `packages/testing/test/Inspector.browser.test.ts` (Effect 3) and
 * `packages/effect4/test/testing/Inspector.browser.test.ts` (Effect 4).
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { type Browser, chromium, type Page } from "playwright-core"
import type { Emulator, Line } from "./lineEmulator.js"
import { pngDataUrl } from "./png.js"
import type { Vitest } from "./vitest.js"

/** The model the suite's client works on. */
export const MODEL = "model_inspector"

/** The models the suite's emulator starts with. */
export const MODELS = { [MODEL]: { name: "Inspector demo" }, model_other: {} }

// Debian's chromium, or the one named by CHROMIUM_PATH.
const CANDIDATES = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"]

const MISSING = "no chromium found (apt-get install -y chromium, or set CHROMIUM_PATH): the inspector's " +
  "browser test is skipped"

const WIDE = { width: 1280, height: 800 }

const post = (emulator: Emulator, modelId: string, body: unknown) =>
  fetch(`${emulator.baseUrl}/models/${modelId}/training-images`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: emulator.authorization },
    body: JSON.stringify(body)
  })

/**
 * The suite "inspector in a browser", registered with the runner's vitest, over the line's emulators.
 * Screenshots go to `screenshots`. Without a browser the tests are skipped, and under CI (`CI` set) that is a
 * failure, never a silent skip.
 */
export const register = (vitest: Vitest, line: Line, options: { readonly screenshots: string }): void => {
  const { afterAll, beforeAll, describe, expect, it } = vitest
  const executablePath = CANDIDATES.find((file): file is string => file !== undefined && fs.existsSync(file))
  if (executablePath === undefined) {
    const underCi = process.env.CI === "true" || process.env.CI === "1"
    if (!underCi) console.warn(`\n  ${MISSING}\n`)
    describe("inspector in a browser", () => {
      it.runIf(underCi)("has chromium to run with", () => {
        throw new Error(MISSING)
      })
      it.skip(`skipped: ${MISSING}`, () => {})
    })
    return
  }

  const shoot = async (page: Page, name: string) => {
    fs.mkdirSync(options.screenshots, { recursive: true })
    await page.screenshot({ path: path.join(options.screenshots, name), fullPage: true })
  }

  // Runs `test` against an emulator of its own, stopped after it whatever happens.
  const withEmulator = async (
    options: Parameters<Line["start"]>[0],
    test: (emulator: Emulator) => Promise<void>
  ) => {
    const emulator = await line.start(options)
    try {
      await test(emulator)
    } finally {
      await emulator.close()
    }
  }

  describe("inspector in a browser", () => {
    let emulator: Emulator
    let browser: Browser
    let page: Page

    beforeAll(async () => {
      emulator = await line.start({ models: MODELS })
      // Root cannot use the sandbox; the page is our own, on loopback.
      browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] })
      page = await browser.newPage({ viewport: WIDE })
    }, 60_000)

    afterAll(async () => {
      await browser?.close()
      await emulator?.close()
    })

    it("shows the images and pairs added through the API as they arrive", async () => {
      await page.goto(emulator.inspectorUrl!)
      await expect.poll(() => page.locator("#connection").getAttribute("data-state")).toBe("live")
      await page.locator(`[data-model-id="${MODEL}"]`).waitFor()

      // Added while the page is open: it must follow without a reload.
      const { client } = emulator
      const red = await client.add({
        modelId: MODEL,
        data: pngDataUrl(64, [200, 30, 40], [250, 160, 60]),
        name: "red.png"
      })
      const blue = await client.add({ modelId: MODEL, data: pngDataUrl(64, [20, 60, 200], [60, 200, 220]) })
      const asset = await client.add({ modelId: MODEL, assetId: "asset_from_library" })
      await client.replacePairs({
        modelId: MODEL,
        pairs: [
          { sourceId: red.id, targetId: blue.id, instruction: "make it <b>blue</b>" },
          { sourceId: blue.id, targetId: asset.id }
        ]
      })

      const model = page.locator(`[data-model-id="${MODEL}"]`)
      const redThumb = model.locator(`figure[data-image-id="${red.id}"] img`)
      await redThumb.waitFor()
      await expect.poll(() => redThumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(64)
      await expect.poll(() => model.locator(`figure[data-image-id="${blue.id}"] img`).getAttribute("alt")).toBe(
        `${blue.id}.png`
      )
      // An image added by asset id has no content to show: a labelled placeholder.
      await expect.poll(() => model.locator(".placeholder[role=img]").count()).toBeGreaterThan(0)
      await expect.poll(() => model.locator("figure").count()).toBe(3)
      const pair = model.locator(`.pair[data-source-id="${red.id}"][data-target-id="${blue.id}"]`)
      // The instruction is shown as text, never as markup.
      await expect.poll(() => pair.locator(".instruction").textContent()).toBe("make it <b>blue</b>")
      expect(await pair.locator("img").count()).toBe(2)
      expect(await page.locator("figure[data-image-id] figcaption").first().textContent()).toContain("red.png")
      await expect.poll(() => page.locator("#request-rows tr").count()).toBe(4)
      await shoot(page, "inspector-1280x800.png")
    }, 60_000)

    it("injects a fault from the page that the next API call meets", async () => {
      await page.selectOption("#fault-kind", "429")
      await page.fill("#fault-retry-after", "7")
      await page.fill("#fault-count", "1")
      await page.selectOption("#fault-operation", "list")
      await page.getByRole("button", { name: "Fail the next calls" }).click()
      await expect.poll(() => page.locator("#message").textContent()).toContain("will fail with 429")
      await expect.poll(() => page.locator("#pending-faults").textContent()).toBe("1")

      expect(await emulator.client.listFailure(MODEL)).toEqual({ tag: "RateLimitError", retryAfterMillis: 7000 })
      // Used up: the call after it succeeds.
      expect((await emulator.client.listed(MODEL)).length).toBe(3)

      const newest = page.locator("#request-rows tr").first()
      await expect.poll(() => newest.locator(".status").textContent()).toBe("200")
      const faulted = page.locator("#request-rows tr.status-4xx")
      await expect.poll(() => faulted.locator(".fault").textContent()).toBe("429")
      await expect.poll(() => page.locator("#fault-counts").textContent()).toBe("429 × 1")

      // The log filtered by status, then by a model with no request.
      await page.selectOption("#filter-status", "4xx")
      await expect.poll(() => page.locator("#request-rows tr").count()).toBe(1)
      await shoot(page, "inspector-fault-filtered.png")
      await page.selectOption("#filter-status", "")
      await page.selectOption("#filter-model", "model_other")
      await expect.poll(() => page.locator("#request-rows").textContent()).toContain("No request matches")
      await page.selectOption("#filter-model", "")
    }, 60_000)

    it(
      "falls back to polling when the event streams are at their cap, and still follows the API",
      () =>
        withEmulator({ models: { model_polled: {} }, maxEventStreams: 0 }, async (capped) => {
          const other = await browser.newPage({ viewport: WIDE })
          // The page polls every second: the waits below allow for a busy machine, they measure nothing.
          const polled = { timeout: 15_000 }
          await other.goto(capped.inspectorUrl!)
          await expect.poll(() => other.locator("#connection").getAttribute("data-state"), polled).toBe("polling")
          const added = await post(capped, "model_polled", {
            data: pngDataUrl(8, [0, 0, 0], [255, 255, 255]),
            name: "polled.png"
          })
          expect(added.status).toBe(200)
          await expect.poll(() => other.locator("[data-model-id=model_polled] figcaption .name").textContent(), polled)
            .toBe("polled.png")
          await expect.poll(() => other.locator("#request-rows tr").count(), polled).toBe(1)
          expect(await other.locator("#connection").getAttribute("data-state")).toBe("polling")
          await other.close()
        }),
      60_000
    )

    it("seeds and resets from the page, by keyboard, with every control labelled", async () => {
      const unlabelled = await page.locator("input, select, textarea").evaluateAll((elements) =>
        elements.filter((element) => (element as HTMLInputElement).labels?.length === 0).map((element) => element.id)
      )
      expect(unlabelled).toEqual([])

      await page.fill(
        "#seed-json",
        JSON.stringify({ model_seeded: { name: "Seeded from the page", trainingImages: [{}] } })
      )
      await page.focus("#seed-json")
      await page.keyboard.press("Tab")
      await page.keyboard.press("Enter")
      await page.locator("[data-model-id=model_seeded]").waitFor()
      expect(Object.keys(await emulator.models())).toContain("model_seeded")

      await page.setViewportSize({ width: 420, height: 900 })
      await shoot(page, "inspector-narrow.png")
      // Nothing wider than the window but the log, which scrolls in its own region.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      expect(overflow).toBeLessThanOrEqual(0)
      await page.setViewportSize(WIDE)

      await page.getByRole("button", { name: "Reset the emulator" }).click()
      await expect.poll(() => page.locator("[data-model-id=model_seeded]").count()).toBe(0)
      await expect.poll(() => page.locator("#request-rows").textContent()).toContain("No request yet")
      expect(await emulator.requestCount()).toBe(0)
    }, 60_000)

    const hostile = "<script>window.__injected = 1</script>"
    const image = (id: string, name: string, from: readonly [number, number, number]) => ({
      id,
      name,
      data: pngDataUrl(48, from, [240, 240, 240])
    })
    const phoneModels = {
      model_a: {
        name: `Portraits ${hostile}`,
        trainingImages: [
          image("img_before", "before.png", [200, 40, 40]),
          image("img_after", `<img src=x onerror="window.__injected = 2">.png`, [40, 40, 200])
        ],
        pairs: [{ sourceId: "img_before", targetId: "img_after", instruction: "make it blue" }]
      },
      model_b: { name: "Landscapes", trainingImages: [image("img_b", "b.png", [40, 160, 40])] },
      model_c: { name: "Products", trainingImages: [image("img_c", "c.png", [160, 160, 40])] },
      model_d: { name: "Logos", trainingImages: [image("img_d", "d.png", [160, 40, 160])] }
    }

    it(
      "on a phone (420 px): models first, each one folds, pairs by file name, names shown as text",
      () =>
        withEmulator({ models: phoneModels }, async (phone) => {
          const narrow = await browser.newPage({ viewport: { width: 420, height: 800 } })
          await narrow.goto(phone.inspectorUrl!)
          const first = narrow.locator("[data-model-id=model_a]")
          await first.waitFor()

          // The first model is on the first screen, above the controls.
          const box = (await first.locator("summary").boundingBox())!
          expect(box.y + box.height).toBeLessThanOrEqual(800)
          const controls = (await narrow.locator(".controls").boundingBox())!
          expect(controls.y).toBeGreaterThan(box.y)

          // Names from outside are text, never markup.
          expect(await first.locator("summary h3").textContent()).toBe(`Portraits ${hostile}`)
          expect(await narrow.evaluate(() => (window as { __injected?: number }).__injected)).toBeUndefined()

          // A pair names its two files, with their ids.
          const pair = first.locator(".pair")
          expect(await pair.locator(".names").textContent()).toBe(
            `before.png → <img src=x onerror="window.__injected = 2">.png`
          )
          expect(await pair.locator(".ids").textContent()).toBe("img_before → img_after")

          // Each model folds, and stays as folded when the page redraws on a change.
          const images = first.locator(".images")
          expect(await images.isVisible()).toBe(true)
          await first.locator("summary").click()
          await expect.poll(() => images.isVisible()).toBe(false)
          const added = await post(phone, "model_a", { assetId: "asset_later" })
          expect(added.status).toBe(200)
          await expect.poll(() => first.locator("summary").textContent()).toContain("3 training images")
          expect(await images.isVisible()).toBe(false)
          await first.locator("summary").click()
          await expect.poll(() => images.isVisible()).toBe(true)

          // Four models folded leave the request log on the second screen at the latest.
          for (const id of ["model_a", "model_b", "model_c", "model_d"]) {
            const model = narrow.locator(`[data-model-id=${id}]`)
            if (await model.evaluate((details) => (details as HTMLDetailsElement).open)) {
              await model.locator("summary").click()
            }
          }
          const log = (await narrow.locator("#requests-title").boundingBox())!
          expect(log.y).toBeLessThan(2 * 800)
          expect(await narrow.evaluate(() => document.documentElement.scrollWidth - window.innerWidth))
            .toBeLessThanOrEqual(0)
          await first.locator("summary").click()
          await shoot(narrow, "inspector-420-models.png")
          await narrow.close()
        }),
      60_000
    )
  })
}
