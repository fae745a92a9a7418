import 'reflect-metadata';
import { main } from './gateway';

void main();
