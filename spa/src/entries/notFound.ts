import { createApp } from 'vue';
import '../styles/base.css';
import PageNotFoundView from '../views/PageNotFoundView.vue';

createApp(PageNotFoundView).mount('#app');
