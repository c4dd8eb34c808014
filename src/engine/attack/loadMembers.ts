// Turns a config's members into attack sources and targets: trained `layers` members from the member
// cache (white-box), TF.js models (white-box), ONNX models (black-box targets). Prediction files hold
// fixed test outputs and cannot be evaluated on new inputs: they are skipped with that reason.
import type { EnsembleConfig, MemberSpec } from '../../core/config/types';
import type { Dataset } from '../../core/data/types';
import type { MemberCache } from '../cache/memberCache';
import { loadDifferentiableModel, loadOnnxPredictor } from '../members/loadMember';
import type { BlackBoxPredictor } from '../members/types';
import { deserializeWeights, restoreModel } from '../model/serialize';
import type { SourceModel } from './matrix';
import type { AttackModel } from './objective';
import { blackBoxTarget, differentiableTarget, type Target } from './targets';

export interface LoadedMembers {
  sources: SourceModel[];
  targets: Target[];
  skipped: { id: string; reason: string }[];
  dispose(): Promise<void>;
}

const PREDICTIONS_REASON = 'a prediction file holds fixed test-set outputs; it cannot be evaluated on new (adversarial) inputs';

async function trainedModel(member: MemberSpec, cache: MemberCache, key: string): Promise<AttackModel | string> {
  const hit = await cache.get(key);
  if (hit.status !== 'hit') return hit.status === 'corrupt' ? `${hit.reason}; train it again` : 'not trained yet (run `ensemble-lens train` first)';
  const bytes = await cache.readWeights(key);
  if (!bytes) return 'its cache entry has no weights';
  return restoreModel(deserializeWeights(bytes));
}

/** Loads every member that can be attacked or evaluated; failures become `skipped` entries. */
export async function loadMembers(config: EnsembleConfig, data: Dataset, cache: MemberCache, keys: Map<string, string>): Promise<LoadedMembers> {
  const models: AttackModel[] = [];
  const boxes: BlackBoxPredictor[] = [];
  const out: LoadedMembers = {
    sources: [],
    targets: [],
    skipped: [],
    async dispose() {
      models.forEach((m) => m.dispose());
      await Promise.all(boxes.map((b) => b.dispose()));
    },
  };
  for (const member of config.members) {
    const src = member.source;
    if (src.kind === 'predictions') {
      out.skipped.push({ id: member.id, reason: PREDICTIONS_REASON });
      continue;
    }
    try {
      if (src.kind === 'model' && src.format === 'onnx') {
        const p = await loadOnnxPredictor(member, data, config.dir);
        boxes.push(p);
        out.targets.push(blackBoxTarget(member.id, p));
        continue;
      }
      const model = src.kind === 'layers' ? await trainedModel(member, cache, keys.get(member.id)!) : await loadDifferentiableModel(member, data, config.dir);
      if (typeof model === 'string' || model === null) {
        out.skipped.push({ id: member.id, reason: model ?? 'not a differentiable model' });
        continue;
      }
      models.push(model);
      out.sources.push({ id: member.id, model });
      out.targets.push(differentiableTarget(member.id, model, data.inputShape));
    } catch (e) {
      out.skipped.push({ id: member.id, reason: `failed to load: ${(e as Error).message}` });
    }
  }
  return out;
}
