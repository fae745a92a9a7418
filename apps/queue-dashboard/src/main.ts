import 'reflect-metadata';
import { main } from './queue-dashboard';

void main();
