import { RetryPolicy, TrainingImages, TrainingImagesError } from "@effect-scenario/core"
import { pngDataUrl } from "@effect-scenario/test-support/png"
import * as ScenarioEmulator from "@effect-scenario/testing/ScenarioEmulator"
import { NodeHttpClient } from "@effect/platform-node"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Exit, Layer, ManagedRuntime, Scope } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { type Browser, chromium, type Page } from "playwright-core"

// Debian's chromium, or the one named by CHROMIUM_PATH.
const CANDIDATES = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"]
const executablePath = CANDIDATES.find((file): file is string => file !== undefined && fs.existsSync(file))
const underCi = process.env.CI === "true" || process.env.CI === "1"
const screenshots = fileURLToPath(new URL("../../../.tmp/inspector/", import.meta.url))

const MODEL = "model_inspector"

if (executablePath === undefined) {
  const message = "no chromium found (apt-get install -y chromium, or set CHROMIUM_PATH): the inspector's " +
    "browser test is skipped"
  if (!underCi) console.warn(`\n  ${message}\n`)
  describe("inspector in a browser", () => {
    // Under CI a missing browser is a failure, never a silent skip.
    it.runIf(underCi)("has chromium to run with", () => {
      throw new Error(message)
    })
    it.skip(`skipped: ${message}`, () => {})
  })
} else {
  describe("inspector in a browser", () => {
    const runtime = ManagedRuntime.make(
      ScenarioEmulator.layerTrainingImages({ retryPolicy: RetryPolicy.none }).pipe(
        Layer.provide(NodeHttpClient.layerUndici),
        Layer.provideMerge(ScenarioEmulator.layer({ models: { [MODEL]: { name: "Inspector demo" }, model_other: {} } }))
      )
    )
    const run = <A, E>(
      effect: Effect.Effect<A, E, TrainingImages.TrainingImages | ScenarioEmulator.ScenarioEmulator>
    ) => runtime.runPromise(effect)
    let browser: Browser
    let page: Page
    let inspectorUrl: string

    const shoot = async (name: string) => {
      fs.mkdirSync(screenshots, { recursive: true })
      await page.screenshot({ path: path.join(screenshots, name), fullPage: true })
    }

    beforeAll(async () => {
      const emulator = await run(ScenarioEmulator.ScenarioEmulator)
      inspectorUrl = emulator.inspectorUrl!
      // Root cannot use the sandbox; the page is our own, on loopback.
      browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] })
      page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    }, 60_000)

    afterAll(async () => {
      await browser?.close()
      await runtime.dispose()
    })

    it("shows the images and pairs added through the API as they arrive", async () => {
      await page.goto(inspectorUrl)
      await expect.poll(() => page.locator("#connection").getAttribute("data-state")).toBe("live")
      await page.locator(`[data-model-id="${MODEL}"]`).waitFor()

      // Added while the page is open: it must follow without a reload.
      const [red, blue] = await run(Effect.gen(function*() {
        const images = yield* TrainingImages.TrainingImages
        const red = yield* images.add({
          modelId: MODEL,
          data: pngDataUrl(64, [200, 30, 40], [250, 160, 60]),
          name: "red.png"
        })
        const blue = yield* images.add({ modelId: MODEL, data: pngDataUrl(64, [20, 60, 200], [60, 200, 220]) })
        const asset = yield* images.add({ modelId: MODEL, assetId: "asset_from_library" })
        yield* images.replacePairs({
          modelId: MODEL,
          pairs: [
            { sourceId: red.id, targetId: blue.id, instruction: "make it <b>blue</b>" },
            { sourceId: blue.id, targetId: asset.id }
          ]
        })
        return [red, blue] as const
      }))

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
      await shoot("inspector-1280x800.png")
    }, 60_000)

    it("injects a fault from the page that the next API call meets", async () => {
      await page.selectOption("#fault-kind", "429")
      await page.fill("#fault-retry-after", "7")
      await page.fill("#fault-count", "1")
      await page.selectOption("#fault-operation", "list")
      await page.getByRole("button", { name: "Fail the next calls" }).click()
      await expect.poll(() => page.locator("#message").textContent()).toContain("will fail with 429")
      await expect.poll(() => page.locator("#pending-faults").textContent()).toBe("1")

      const exit = await runtime.runPromiseExit(
        Effect.flatMap(TrainingImages.TrainingImages, (images) => images.list({ modelId: MODEL }))
      )
      expect(Exit.isFailure(exit)).toBe(true)
      const error = Exit.isFailure(exit) ? exit.cause : undefined
      const failure = error?._tag === "Fail" ? error.error : undefined
      expect(failure).toBeInstanceOf(TrainingImagesError.RateLimitError)
      expect(Duration.toMillis((failure as TrainingImagesError.RateLimitError).retryAfter!)).toBe(7000)
      // Used up: the call after it succeeds.
      const listed = await run(
        Effect.flatMap(TrainingImages.TrainingImages, (images) => images.list({ modelId: MODEL }))
      )
      expect(listed.trainingImages).toHaveLength(3)

      const newest = page.locator("#request-rows tr").first()
      await expect.poll(() => newest.locator(".status").textContent()).toBe("200")
      const faulted = page.locator("#request-rows tr.status-4xx")
      await expect.poll(() => faulted.locator(".fault").textContent()).toBe("429")
      await expect.poll(() => page.locator("#fault-counts").textContent()).toBe("429 × 1")

      // The log filtered by status, then by a model with no request.
      await page.selectOption("#filter-status", "4xx")
      await expect.poll(() => page.locator("#request-rows tr").count()).toBe(1)
      await shoot("inspector-fault-filtered.png")
      await page.selectOption("#filter-status", "")
      await page.selectOption("#filter-model", "model_other")
      await expect.poll(() => page.locator("#request-rows").textContent()).toContain("No request matches")
      await page.selectOption("#filter-model", "")
    }, 60_000)

    it("falls back to polling when the event streams are at their cap, and still follows the API", async () => {
      const scope = Effect.runSync(Scope.make())
      try {
        const capped = await Effect.runPromise(
          Scope.extend(ScenarioEmulator.make({ models: { model_polled: {} }, maxEventStreams: 0 }), scope)
        )
        const other = await browser.newPage({ viewport: { width: 1280, height: 800 } })
        await other.goto(capped.inspectorUrl!)
        await expect.poll(() => other.locator("#connection").getAttribute("data-state")).toBe("polling")
        const added = await fetch(`${capped.baseUrl}/models/model_polled/training-images`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            authorization: `Basic ${btoa(`${ScenarioEmulator.DEFAULT_API_KEY}:${ScenarioEmulator.DEFAULT_API_SECRET}`)}`
          },
          body: JSON.stringify({ data: pngDataUrl(8, [0, 0, 0], [255, 255, 255]), name: "polled.png" })
        })
        expect(added.status).toBe(200)
        await expect.poll(() => other.locator("[data-model-id=model_polled] figcaption .name").textContent())
          .toBe("polled.png")
        await expect.poll(() => other.locator("#request-rows tr").count()).toBe(1)
        expect(await other.locator("#connection").getAttribute("data-state")).toBe("polling")
        await other.close()
      } finally {
        await Effect.runPromise(Scope.close(scope, Exit.void))
      }
    }, 60_000)

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
      expect(Object.keys((await run(ScenarioEmulator.snapshot)).models)).toContain("model_seeded")

      await page.setViewportSize({ width: 420, height: 900 })
      await shoot("inspector-narrow.png")
      // Nothing wider than the window but the log, which scrolls in its own region.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      expect(overflow).toBeLessThanOrEqual(0)
      await page.setViewportSize({ width: 1280, height: 800 })

      await page.getByRole("button", { name: "Reset the emulator" }).click()
      await expect.poll(() => page.locator("[data-model-id=model_seeded]").count()).toBe(0)
      await expect.poll(() => page.locator("#request-rows").textContent()).toContain("No request yet")
      expect((await run(ScenarioEmulator.requests)).length).toBe(0)
    }, 60_000)

    it("on a phone (420 px): models first, each one folds, pairs by file name, names shown as text", async () => {
      const hostile = "<script>window.__injected = 1</script>"
      const scope = Effect.runSync(Scope.make())
      const image = (id: string, name: string, from: readonly [number, number, number]) => ({
        id,
        name,
        data: pngDataUrl(48, from, [240, 240, 240])
      })
      try {
        const phone = await Effect.runPromise(Scope.extend(
          ScenarioEmulator.make({
            models: {
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
          }),
          scope
        ))
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
        const added = await fetch(`${phone.baseUrl}/models/model_a/training-images`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            authorization: `Basic ${btoa(`${ScenarioEmulator.DEFAULT_API_KEY}:${ScenarioEmulator.DEFAULT_API_SECRET}`)}`
          },
          body: JSON.stringify({ assetId: "asset_later" })
        })
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
        fs.mkdirSync(screenshots, { recursive: true })
        await narrow.screenshot({ path: path.join(screenshots, "inspector-420-models.png"), fullPage: true })
        await narrow.close()
      } finally {
        await Effect.runPromise(Scope.close(scope, Exit.void))
      }
    }, 60_000)
  })
}
