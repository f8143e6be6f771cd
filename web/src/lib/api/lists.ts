import { api, read, signalled, type Answer } from './client.ts';
import type {
  NeedEdit, NeedInput, ProgressInput, ProjectEdit, ProjectInput, ResourceEdit, ResourceInput, WishEdit, WishInput, WishMove,
} from '../../../../api/contract/lists.ts';

// 三项清单 and 微心愿 (docs/lists.md): staff in scope only, except the public wish board.

const lists = api.lists;

export type NeedList = Answer<typeof lists.needs.$get>;
export type Need = NeedList['needs'][number];
export type Resource = Answer<typeof lists.resources.$get>['resources'][number];
export type Project = Answer<typeof lists.projects.$get>['projects'][number];
export type WishList = Answer<typeof lists.wishes.$get>;
export type Wish = WishList['wishes'][number];
export type ListsMapData = Answer<typeof lists.map.$get>;
export type ListPlaces = Answer<typeof lists.places.$get>;

export const fetchNeeds = (signal?: AbortSignal) => read(lists.needs.$get({ query: {} }, signalled(signal)));
export const fetchResources = (signal?: AbortSignal) => read(lists.resources.$get({}, signalled(signal)));
export const fetchProjects = (signal?: AbortSignal) => read(lists.projects.$get({}, signalled(signal)));
export const fetchWishes = (signal?: AbortSignal) => read(lists.wishes.$get({}, signalled(signal)));
export const fetchListsMap = (signal?: AbortSignal) => read(lists.map.$get({}, signalled(signal)));
export const fetchListPlaces = (signal?: AbortSignal) => read(lists.places.$get({}, signalled(signal)));

const param = (id: number) => ({ id: String(id) });
export const createNeed = (input: NeedInput) => read(lists.needs.$post({ json: input }));
export const editNeed = (id: number, input: NeedEdit) => read(lists.needs[':id'].$post({ param: param(id), json: input }));
export const createResource = (input: ResourceInput) => read(lists.resources.$post({ json: input }));
export const editResource = (id: number, input: ResourceEdit) => read(lists.resources[':id'].$post({ param: param(id), json: input }));
export const createProject = (input: ProjectInput) => read(lists.projects.$post({ json: input }));
export const editProject = (id: number, input: ProjectEdit) => read(lists.projects[':id'].$post({ param: param(id), json: input }));
export const addProgress = (id: number, input: ProgressInput) => read(lists.projects[':id'].progress.$post({ param: param(id), json: input }));
export const createWish = (input: WishInput) => read(lists.wishes.$post({ json: input }));
export const editWish = (id: number, input: WishEdit) => read(lists.wishes[':id'].$post({ param: param(id), json: input }));
export const moveWish = (id: number, input: WishMove) => read(lists.wishes[':id'].status.$post({ param: param(id), json: input }));
