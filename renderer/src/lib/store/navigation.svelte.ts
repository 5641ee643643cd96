/** Which tab shows; opening a folder and the menu switch it, as well as the toolbar. */
export type View = 'portraits' | 'music' | 'playlist' | 'plane';

class Navigation {
  view = $state<View>('portraits');
}

export const navigation = new Navigation();
