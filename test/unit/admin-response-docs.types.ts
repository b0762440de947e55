/**
 * Compile-time only (the type check reads it, vitest does not run it): the console's venue and event
 * answers are what the API reference documents. Here rather than in platform/ops, which imports no module.
 */
import type { z } from 'zod';
import type { EventOut, VenueOut } from '../../src/server/modules/admin/admin-service.js';
import type { EventDoc, Same, VenueDoc } from '../../src/server/platform/ops/response-schemas.js';

export const venueDocMatches: Same<z.infer<typeof VenueDoc>, VenueOut> = true;
export const eventDocMatches: Same<z.infer<typeof EventDoc>, EventOut> = true;
