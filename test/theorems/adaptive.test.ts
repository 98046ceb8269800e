import { checkFamily } from '../helpers/check-family.ts';

await checkFamily('adaptive');
