import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { z } from 'astro/zod';

// Write-ups live in content/ (top level); trained results never pass through
// Astro's data store: pages read them from our own results store.
const writeups = defineCollection({
  // CHEMINS_CONTENT points a build at other write-ups (tests build sites of their own experiments).
  loader: glob({ pattern: '**/*.mdx', base: process.env.CHEMINS_CONTENT ?? './content' }),
  schema: z.object({
    title: z.string(),
    description: z.string().default(''),
  }),
});

export const collections = { writeups };
