/** COC's codes in words (the tables of src/i18n/coc-enums.ts under the neutral kinds). */
import { COC_ENUMS } from './enums.js';
import type { Vocabulary } from '../vocabulary.js';

export const COC_VOCABULARY: Vocabulary = {
  riskLevel: COC_ENUMS.riskLevel,
  scriptStatus: COC_ENUMS.scriptStatus,
  runStatus: COC_ENUMS.orderStatus,
  hostRunStatus: COC_ENUMS.instanceStatus,
  rotation: COC_ENUMS.rotationStrategy,
  agentState: COC_ENUMS.agentState,
  incidentLevel: COC_ENUMS.incidentLevel,
  incidentType: COC_ENUMS.incidentType,
  incidentStatus: COC_ENUMS.incidentStatus,
  incidentSource: COC_ENUMS.incidentSource,
  patchStatus: COC_ENUMS.patchStatus,
  patchCompliance: COC_ENUMS.patchCompliance,
  alarmLevel: COC_ENUMS.alarmLevel,
  alarmStatus: COC_ENUMS.alarmStatus,
};
